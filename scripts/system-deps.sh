#!/bin/sh
# Installs the Debian packages the test suite needs when they are missing:
# a PostgreSQL server (the suite starts a throwaway cluster), Pango and HarfBuzz-Subset
# (WeasyPrint PDFs; without the subsetter it falls back to a slower, deprecated path).
set -e
need=""
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need="$need postgresql"
ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0 || need="$need libpango-1.0-0 libpangoft2-1.0-0"
ldconfig -p 2>/dev/null | grep -q libharfbuzz-subset || need="$need libharfbuzz-subset0"
[ -z "$need" ] && exit 0
if [ "$(id -u)" != 0 ]; then
    echo "missing system packages:$need (install them, or run as root)" >&2
    exit 1
fi
echo "installing system packages:$need"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need >/dev/null
