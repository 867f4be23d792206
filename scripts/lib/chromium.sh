# Sourced by the scripts that drive a headless browser (check-report.sh, test.sh).

# ensure_debian_packages TAG PACKAGE...: installs the Debian packages that are missing, as root
# with apt-get; otherwise says how and returns 1.
ensure_debian_packages() {
  local tag=$1 missing=() p
  shift
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  (( ${#missing[@]} )) || return 0
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "[$tag] installing Debian packages: ${missing[*]}"
    apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "[$tag] missing Debian packages: ${missing[*]}; as root: apt-get install -y --no-install-recommends ${missing[*]}" >&2
    return 1
  fi
}

# ensure_chromium TAG [chromium-driver]: Chromium (and its driver for Selenium), and a CJK font so
# Chinese text renders in screenshots instead of boxes.
ensure_chromium() {
  local tag=$1
  shift
  ensure_debian_packages "$tag" chromium fonts-noto-cjk "$@"
}
