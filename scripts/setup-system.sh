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
# pyscard, in the test extra, builds from source on Linux: swig, the PC/SC
# headers and Python's.
command -v swig >/dev/null 2>&1 || need+=(swig)
[ -f /usr/include/PCSC/winscard.h ] || need+=(libpcsclite-dev)
python3 -c 'import os, sys, sysconfig
sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))' \
  || need+=(python3-dev)
# The PC/SC payment tests (tests/test_payment_pcsc.py) run pcscd with
# vsmartcard's vpcd reader driver; without them those tests skip, so they
# are wanted, not needed.
want=()
command -v pcscd >/dev/null 2>&1 || [ -x /usr/sbin/pcscd ] || want+=(pcscd)
[ -f /etc/reader.conf.d/vpcd ] || want+=(vsmartcard-vpcd)

if [ ${#need[@]} -eq 0 ] && [ ${#want[@]} -eq 0 ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  if [ ${#want[@]} -gt 0 ]; then
    echo "pytee: no apt-get; without ${want[*]} the PC/SC tests skip" >&2
  fi
  if [ ${#need[@]} -gt 0 ]; then
    echo "pytee: no apt-get; install these by hand: ${need[*]}" >&2
    exit 1
  fi
  exit 0
fi
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
for package in ${want[@]+"${want[@]}"}; do
  if apt-cache show "$package" >/dev/null 2>&1; then
    need+=("$package")
  else
    echo "pytee: apt has no $package; the PC/SC tests will skip" >&2
  fi
done
if [ ${#need[@]} -gt 0 ]; then
  echo "pytee: installing system packages: ${need[*]}"
  $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
