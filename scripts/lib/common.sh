# Shared by the scripts in scripts/: installing what is missing, building.
# Source it; it changes into the project's root.

set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

# ensure_packages PKG...: installs the Debian packages that are not installed yet.
ensure_packages() {
  local missing=()
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "==> installing ${missing[*]}" >&2
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >&2
}

# Lua 5.4, lua-cjson and SQLite (the batch journal) are linked into moonwatch.
ensure_build_dependencies() {
  ensure_packages liblua5.4-dev lua-cjson-dev libsqlite3-dev pkg-config
}

# build_release [PRODUCT]: a release build; prints the binary folder.
build_release() {
  swift build -c release ${1:+--product "$1"} >&2
  swift build -c release --show-bin-path
}
