#!/usr/bin/env bash
# Installs every Debian 12 package mugai needs to build, run and test.
# Idempotent: packages already present are skipped by apt. Needs root (or sudo).
set -euo pipefail

SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"

packages=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config clang libclang-rt-14-dev
  # libraries (DESIGN.md §9)
  libgmime-3.0-dev libicu-dev libxml2-dev libmagic-dev libpoco-dev libarchive-dev zlib1g-dev
  libssl-dev libyaml-cpp-dev nlohmann-json3-dev libqpdf-dev libseccomp-dev
  # tests: Catch2, mimetic as the independent reader of our output, real SMTP peers
  catch2 libmimetic-dev swaks libnet-ssleay-perl libio-socket-ssl-perl postfix python3 python3-aiosmtpd openssl file
  # document and image modules (issue 5): PDF rendering as a subprocess (GPL kept out of the
  # binary), libvips for images, libgsf for OLE2, LibreOffice for Office -> PDF
  poppler-utils libvips-dev libgsf-1-dev libgdk-pixbuf-2.0-dev librsvg2-dev
  libreoffice-core-nogui libreoffice-writer-nogui libreoffice-calc-nogui libreoffice-impress-nogui
  fonts-ipafont-gothic fonts-ipafont-mincho   # Japanese text in LibreOffice's PDFs (ooxml/ole2 flatten)
  # archives (issue 6): sample makers and independent readers; ClamAV as the optional scanner
  libarchive-tools p7zip-full zip unzip gcab xorriso zstd xz-utils bzip2 clamav clamav-daemon
  # independent readers of our output in tests
  python3-olefile python3-pikepdf python3-pil
  # browser tests (issues 8, 9): Debian's Chromium driven by playwright-core from npm
  chromium nodejs
)
# Debian's npm only where node came without one (a NodeSource nodejs ships its own npm).
command -v npm >/dev/null 2>&1 || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

# Postfix is only used for smtp-sink and private test instances: no system mailer is configured
# and, without an init system running services, nothing is started.
echo "postfix postfix/main_mailer_type select No configuration" | $SUDO debconf-set-selections
$SUDO apt-get update -qq
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "install-deps: installed ${missing[*]}"
