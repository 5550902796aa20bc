# One place for compiler flags applied to every mugai target.
add_library(mugai_flags INTERFACE)
target_compile_options(mugai_flags INTERFACE -Wall -Wextra -Wshadow -Wnon-virtual-dtor -Wpedantic)
if(MUGAI_WERROR)
  target_compile_options(mugai_flags INTERFACE -Werror)
endif()
if(MUGAI_SANITIZE)
  target_compile_options(mugai_flags INTERFACE -fsanitize=address,undefined -fno-sanitize-recover=undefined
                                                -fno-omit-frame-pointer)
  target_link_options(mugai_flags INTERFACE -fsanitize=address,undefined)
endif()
