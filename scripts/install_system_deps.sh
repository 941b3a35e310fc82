#!/usr/bin/env bash
# Install the Debian packages the project needs, only where they are missing.
#   build    : a C compiler and SQLite headers (the FTS5 tokenizer is compiled on install)
#   browser  : chromium and a CJK font, for the browser test
#   redis    : redis-server, for the shared-LSH tests
set -euo pipefail
need=()
for what in "$@"; do
  case "$what" in
    build)
      command -v gcc >/dev/null || need+=(gcc)
      [ -f /usr/include/sqlite3.h ] || need+=(libsqlite3-dev)
      ;;
    browser)
      command -v chromium >/dev/null || need+=(chromium)
      # A CJK font, so that screenshots show the Chinese text instead of boxes.
      [ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || need+=(fonts-wqy-microhei)
      ;;
    redis) command -v redis-server >/dev/null || need+=(redis-server) ;;
    *) echo "install_system_deps.sh: unknown group '$what' (build, browser, redis)" >&2; exit 2 ;;
  esac
done
[ ${#need[@]} -eq 0 ] && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "installing Debian packages: ${need[*]}" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
