// One function per `mugai` sub-command; main.cpp only dispatches. Each returns the process exit
// code. Arguments exclude the program and sub-command names.
#pragma once

#include <string>
#include <vector>

namespace mugai::cli {

using Args = std::vector<std::string>;

int run_sanitize(const Args& args);    // sanitize_command.cpp
int run_config(const Args& args);      // config_command.cpp: check FILE | show
int run_quarantine(const Args& args);  // quarantine_command.cpp: list | show ID | release ID
int run_quarantine_release(const Args& args);  // release_command.cpp: PPAP release
// release_workflow_command.cpp: request | approve | deny | purge (issue 9)
int run_quarantine_workflow(const std::string& action, const Args& args);
int run_audit(const Args& args);       // audit_command.cpp: verify FILE
int run_serve(const Args& args);       // serve_command.cpp: the SMTP proxy
int run_demo(const Args& args);        // demo_command.cpp: README command (1)
int run_transfer(const Args& args);    // transfer_command.cpp: hash-password

}  // namespace mugai::cli
