#!/bin/sh
# The zimu tool is a program like any other built on libzimu: it builds
# from tools/ and the public header alone, against the shared library's
# exported symbols, with no generated header and no -D flag; build/zimu runs
# in place from any directory, and an installed zimu finds its installed
# library, without LD_LIBRARY_PATH either way. Prints "ok" or the reason it
# failed. Run from the top of the tree after `make`.
set -e
top=$(pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unset LD_LIBRARY_PATH
fail() { echo "tool_build: $*"; exit 1; }

version=$(sed -n 's/^VERSION *= *//p' Makefile)
[ -n "$version" ] || fail "no VERSION in the Makefile"
soname=$(objdump -p build/libzimu.so | awk '$1 == "SONAME" {print $2}')
# before 1.0 the soname carries major.minor
[ "$soname" = "libzimu.so.${version%.*}" ] || fail "soname '$soname' for version $version"

# 1. Exactly this line, in a directory holding only the public header,
#    tools/ and the shared library (no lib/, no libzimu.a, no build flags).
mkdir "$tmp/src" "$tmp/src/build"
cp -r include tools "$tmp/src/"
cp build/libzimu.so "$tmp/src/build/"
ln -s libzimu.so "$tmp/src/build/$soname"
(cd "$tmp/src" && cc -Iinclude -Itools tools/*.c -Lbuild -lzimu -lm) ||
    fail "tools do not build with: cc -Iinclude -Itools tools/*.c -Lbuild -lzimu -lm"
out=$(cd "$tmp/src" && LD_LIBRARY_PATH="$tmp/src/build" ./a.out --version) ||
    fail "the tool built alone fails: $out"
case "$out" in "zimu $version"*) ;; *) fail "built alone, --version says: $out" ;; esac

# 2. build/zimu, from elsewhere: it finds build/libzimu.so beside itself.
out=$(cd "$tmp" && "$top/build/zimu" --version) || fail "build/zimu from $tmp: $out"
case "$out" in "zimu $version"*) ;; *) fail "build/zimu --version says: $out" ;; esac
(cd "$tmp" && "$top/build/zimu" styles >/dev/null) || fail "build/zimu styles from $tmp"
objdump -p build/zimu | awk '$1 == "NEEDED"' | grep -q "$soname" ||
    fail "build/zimu does not use the shared library"

# 3. Installed with a library directory no loader looks in by itself.
prefix="$tmp/prefix"
libdir="$prefix/odd/lib64"
make -s --no-print-directory install PREFIX="$prefix" LIBDIR="$libdir" >/dev/null ||
    fail "make install failed"
out=$(cd / && "$prefix/bin/zimu" --version) || fail "installed zimu: $out"
case "$out" in "zimu $version"*) ;; *) fail "installed zimu --version says: $out" ;; esac
found=$(ldd "$prefix/bin/zimu" | awk -v so="$soname" '$1 == so {print $3}')
[ "$found" = "$libdir/$soname" ] || fail "installed zimu loads '$found', not $libdir/$soname"
[ -f "$libdir/libzimu.so.$version" ] || fail "no $libdir/libzimu.so.$version"
make -s --no-print-directory uninstall PREFIX="$prefix" LIBDIR="$libdir"
left=$(find "$prefix" -type f -o -type l | wc -l)
[ "$left" = 0 ] || fail "uninstall left $left files"
echo ok
