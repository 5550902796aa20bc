"""Python's email (policy.default) reads what mime::build() writes: no defect anywhere (with
OutMessage::rfc2047_names_for_old_clients, only the RFC 2047 words inside the quoted name= that
option asks for), the same body text and the same file names. Usage: check_build_outputs.py GENERATOR"""
import email
import email.policy
import pathlib
import subprocess
import sys
import tempfile

# name="=?UTF-8?B?...?=" when the option asks for it (gateway/mime/README.md); nothing else.
OLD_CLIENT_NAME_DEFECTS = {("Content-Type", "encoded word inside quoted string"),
           ("Content-Type", "missing trailing whitespace after encoded-word")}


def defects(message, allowed):
    found = []
    for part in message.walk():
        found += ["part: %s" % type(d).__name__ for d in part.defects]
        for name in part.keys():
            for value in part.get_all(name) or []:
                for defect in getattr(value, "defects", ()):
                    if (name, str(defect)) not in allowed:
                        found.append("%s: %s" % (name, defect))
    return found


def main():
    failures = []
    with tempfile.TemporaryDirectory() as directory:
        subprocess.run([sys.argv[1], directory], check=True)
        emls = sorted(pathlib.Path(directory).glob("*.eml"))
        if not emls:
            failures.append("the generator wrote nothing")
        for eml in emls:
            data = eml.read_bytes()
            message = email.message_from_bytes(data, policy=email.policy.default)
            expect = eml.with_suffix(".expect").read_text("utf-8").splitlines()
            allowed = OLD_CLIENT_NAME_DEFECTS if "rfc2047-names" in expect else set()
            failures += ["%s: %s" % (eml.name, d) for d in defects(message, allowed)]
            if len(message.get_all("From") or []) != 1:
                failures.append("%s: not exactly one From" % eml.name)
            body = [line.split("\t", 1)[1].replace("\\n", "\n") for line in expect if line.startswith("body\t")]
            files = [line.split("\t", 1)[1] for line in expect if line.startswith("file\t")]
            text = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
            if body and text != body[0]:
                failures.append("%s: body %r != %r" % (eml.name, text[:80], body[0][:80]))
            names = [part.get_filename() or "" for part in message.iter_attachments()]
            if names != files:
                failures.append("%s: file names %r != %r" % (eml.name, names, files))
    for failure in failures:
        print("FAIL", failure)
    print("%d message(s) checked, %d failure(s)" % (len(emls), len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
