#!/usr/bin/env bash
# Installs everything the test suite needs, then runs it: the README's test command and the one
# .ci/run calls, so a fresh machine (Debian, as root) passes with nothing installed by hand.
# Besides the npm packages the suite drives a real terminal (tmux), a real browser (Debian's
# chromium, through playwright-core), the system ping, curl (what -g does to a suggested command's URL), zsh (rca completion zsh, as bash's is run
# in bash) and PostgreSQL (the case store's tests start a throwaway cluster with its initdb and
# pg_ctl); they come from Debian's packages when
# missing. Without root they are only reported, and the tests that need them fail saying so.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v tmux >/dev/null 2>&1 || missing+=(tmux)
command -v ping >/dev/null 2>&1 || missing+=(iputils-ping)
command -v curl >/dev/null 2>&1 || missing+=(curl)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v zsh >/dev/null 2>&1 || missing+=(zsh)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "test.sh: installing ${missing[*]} from Debian's packages" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "test.sh: missing ${missing[*]} (install them with: sudo apt-get install ${missing[*]})" >&2
  fi
fi

npm ci
npm test
