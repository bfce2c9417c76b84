#!/usr/bin/env bash
# Installs, with apt-get, the system packages pytee needs to build and test,
# when they are missing.  Safe to run again; does nothing when all is there.
set -euo pipefail

need=()
command -v make >/dev/null 2>&1 || need+=(make)
command -v gcc >/dev/null 2>&1 || need+=(gcc)
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
[ -f /usr/include/openssl/evp.h ] || need+=(libssl-dev)
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || need+=(python3-venv)
# Sanitizer runtimes for the ASan/UBSan test run.
if command -v gcc >/dev/null 2>&1; then
  [ -e "$(gcc -print-file-name=libasan.so)" ] || need+=(libasan8)
fi
# clang and its libFuzzer runtime for the wire-protocol fuzz run (csrc/fuzz;
# without them it falls back to gcc and a driver of its own).  Debian 12
# ships the runtime apart from clang, in libclang-rt-dev; elsewhere it
# comes with clang.
fuzzer_runtime() {
  [ -e "$(clang -print-resource-dir 2>/dev/null)/lib/linux/libclang_rt.fuzzer-$(uname -m).a" ]
}
new_clang=0
if ! command -v clang >/dev/null 2>&1; then
  need+=(clang)
  new_clang=1
elif ! fuzzer_runtime && apt-cache show libclang-rt-dev >/dev/null 2>&1; then
  need+=(libclang-rt-dev)
fi

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
echo "pytee: installing system packages: ${need[*]}"
if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
else
  SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
if [ "$new_clang" -eq 1 ] && apt-cache show libclang-rt-dev >/dev/null 2>&1; then
  need+=(libclang-rt-dev)
fi
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
