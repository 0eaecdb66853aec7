#!/bin/sh
# A minimal unattended installer: no input, no downloads, exits 0 when done.
set -eu
mkdir -p /opt/hello
cat > /opt/hello/hello <<'SCRIPT'
#!/bin/sh
echo "Hello from a Goldsmith-built image"
SCRIPT
chmod 755 /opt/hello/hello
ln -sf /opt/hello/hello /usr/local/bin/hello
echo "installed /opt/hello/hello"
