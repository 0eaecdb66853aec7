#!/bin/sh
# Rebuilds hello-goldsmith_1.0.0-1_all.deb from src/ (the .deb is committed too).
set -eu
cd "$(dirname "$0")"
SOURCE_DATE_EPOCH=1700000000 dpkg-deb --root-owner-group -Zgzip --build src hello-goldsmith_1.0.0-1_all.deb
