#!/bin/sh
# Builds the prototype beside this file (gcc and the Python headers of the venv's interpreter).
cd "$(dirname "$0")"
PY=${PY:-../../.venv/bin/python}
INC=$($PY -c 'import sysconfig; print(sysconfig.get_paths()["include"])')
SUFFIX=$($PY -c 'import sysconfig; print(sysconfig.get_config_var("EXT_SUFFIX"))')
gcc -O2 -Wall -shared -fPIC -I"$INC" _fused.c -o "_fused$SUFFIX"
