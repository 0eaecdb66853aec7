#!/bin/sh
# An installer that fails: Goldsmith reports IssuesFound with
# INSTALLER_EXIT_STATUS, the status and the last lines of this output.
echo "checking prerequisites"
if [ ! -e /opt/acme/license.key ]; then
  echo "error: /opt/acme/license.key is missing; ship it in the package group" >&2
  exit 3
fi
