#!/usr/bin/env bash
# Builds the same synthetic site with nianbao, Hugo and Zola and writes the
# side-by-side table into BENCHMARKS.md (between the bench markers).
#
#   benches/run.sh [--big] [--sizes "1000 10000"] [--runs R] [--big-runs R] [--seed S] [--no-write]
#
#   --big        also N = 100,000 (2 timed runs instead of R, no warm-up)
#   --sizes      the N to run (default "1000 10000", with --big "1000 10000 100000")
#   --runs       timed hyperfine runs per tool and N (default 5), after 1 warm-up
#   --big-runs   timed runs at N >= 100,000 (default 2, no warm-up)
#   --seed       generator seed (default 2016)
#   --cool S     seconds of cool-down (after sync) before each tool (default 0
#                on tmpfs, 70 elsewhere: see the ext4 note below)
#   --no-write   print the table, leave BENCHMARKS.md alone
#
# Environment: HUGO= (set and empty) leaves Hugo out; NIANBAO_BIN=path benchmarks that binary instead of building
# target/release/nianbao; NIANBAO_ALT=path (and NIANBAO_ALT_LABEL=text) adds
# the rows of a second nianbao binary, e.g. one with a patch under test.
#
# Needs: cargo, python3, hyperfine and /usr/bin/time (Debian: apt-get install
# hyperfine time), hugo (Debian: apt-get install hugo). Zola is used when
# $ZOLA names its binary or `zola` is on PATH; otherwise its rows say "not
# installed". Zola 0.22.1 built from its source with its own release profile
# (`cargo build --release` in a checkout of getzola/zola v0.22.1), e.g.
# ZOLA=/path/to/zola/target/release/zola benches/run.sh. After each N,
# benches/same_pages.py checks that the tools wrote the same pages; its
# verdict goes into the table.
# Work files go to $BENCH_DIR (default target/bench), which is replaced. The
# published table used BENCH_DIR=/dev/shm/nianbao-bench (tmpfs): see
# BENCHMARKS.md for why disk timings on this machine are not reproducible.
#
# Per tool and N: hyperfine --warmup 1 --runs R (the previous output renamed
# aside before every run with --prepare, so every build writes into a missing
# folder) gives the median wall time and the mean user and system CPU time;
# then 3 runs under /usr/bin/time -f "%e %U %S %M" give the median peak
# resident memory (1 warm-up-less run of each at N >= 100,000). Pages are the .html files written; size is
# `du -sb` of the output folder.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
BIG=0
SIZES=""
RUNS=5
BIG_RUNS=2
SEED=2016
COOL=
WRITE=1
while [ $# -gt 0 ]; do
  case "$1" in
    --big) BIG=1 ;;
    --sizes) SIZES="$2"; shift ;;
    --runs) RUNS="$2"; shift ;;
    --big-runs) BIG_RUNS="$2"; shift ;;
    --seed) SEED="$2"; shift ;;
    --cool) COOL="$2"; shift ;;
    --no-write) WRITE=0 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print } /^set -e/ { exit }' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done
if [ -z "$SIZES" ]; then
  if [ "$BIG" = 1 ]; then SIZES="1000 10000 100000"; else SIZES="1000 10000"; fi
fi
for tool in hyperfine python3 cargo; do
  command -v "$tool" >/dev/null || { echo "$tool is missing (apt-get install -y $tool)" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "/usr/bin/time is missing (apt-get install -y time)" >&2; exit 2; }

BENCH_DIR=${BENCH_DIR:-$ROOT/target/bench}
rm -rf "$BENCH_DIR"
mkdir -p "$BENCH_DIR/bin" "$BENCH_DIR/results"
RES=$BENCH_DIR/results
FSTYPE=$(stat -f -c %T "$BENCH_DIR")
if [ -z "$COOL" ]; then
  if [ "$FSTYPE" = tmpfs ]; then COOL=0; else COOL=70; fi
fi

# Snapshot the binary: others may rebuild target/release while this runs.
if [ -z "${NIANBAO_BIN:-}" ]; then
  cargo build --release --quiet
  NIANBAO_BIN=target/release/nianbao
fi
cp "$NIANBAO_BIN" "$BENCH_DIR/bin/nianbao"
NIANBAO=$BENCH_DIR/bin/nianbao
NIANBAO_ALT=${NIANBAO_ALT:-}
if [ -n "$NIANBAO_ALT" ]; then
  cp "$NIANBAO_ALT" "$BENCH_DIR/bin/nianbao-alt"
  echo "${NIANBAO_ALT_LABEL:-nianbao (alternative binary)}" >"$RES/alt-label.txt"
fi
HUGO=${HUGO-$(command -v hugo || true)}
ZOLA=${ZOLA:-$(command -v zola || true)}
if [ -n "$ZOLA" ] && ! [ -x "$ZOLA" ]; then
  echo "ZOLA=$ZOLA is not an executable file" >&2
  exit 2
fi

{
  echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "work tree: $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src themes Cargo.toml Cargo.lock 2>/dev/null || echo ' (with uncommitted changes in src/, themes/ or Cargo.*)')"
  echo "nianbao: $("$NIANBAO" --version 2>/dev/null || echo nianbao) (release build of ${NIANBAO_REV:-the work tree}, sha256 $(sha256sum "$NIANBAO" | cut -c1-12))"
  [ -n "$NIANBAO_ALT" ] && echo "nianbao-alt: ${NIANBAO_ALT_LABEL:-alternative binary} (sha256 $(sha256sum "$BENCH_DIR/bin/nianbao-alt" | cut -c1-12))"
  echo "hugo: $([ -n "$HUGO" ] && "$HUGO" version | cut -d' ' -f2 || echo 'not installed')"
  echo "zola: $([ -n "$ZOLA" ] && "$ZOLA" --version || echo 'not installed')"
  echo "hyperfine: $(hyperfine --version)"
  echo "rustc: $(rustc --version)"
  echo "python: $(python3 --version)"
  echo "nproc: $(nproc)"
  echo "memory: $(free -m | awk '/^Mem:/ {print $2 " MiB"}')"
  echo "kernel: $(uname -r)"
  echo "work files on: $FSTYPE ($BENCH_DIR), cool-down $COOL s before each tool"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  lscpu | head -n 16 | grep -v '^Flags' | sed 's/^/lscpu: /'
} >"$RES/machine.txt"

# ext4 without a journal (as on this machine) skips inodes freed in the
# last 60 s (300 s while their table block is dirty) when it allocates new
# ones; creating 10,000 files right after `rm -rf` of 10,000 others then costs
# seconds of kernel time. So outputs are moved aside between runs (a rename
# frees nothing) and deleted only after a tool's runs, followed by sync and a
# cool-down before the next tool.
cool_down() {
  if [ "$COOL" != 0 ]; then
    sync
    sleep "$COOL"
  fi
}

measure() { # measure NAME N OUT COMMAND...
  local name=$1 n=$2 out=$3; shift 3
  local cmd="$*"
  local runs=$RUNS warmup=1 timed=3
  if [ "$n" -ge 100000 ]; then runs=$BIG_RUNS; warmup=0; timed=1; fi
  echo "$cmd" >"$RES/$name-$n.cmd"
  echo "== $name, N = $n: $cmd" >&2
  cool_down
  local aside="mv '$out' '$out.old.'\$(date +%s%N) 2>/dev/null || true"
  if ! bash -c "$cmd" >"$RES/$name-$n.log" 2>&1; then
    echo "   failed: $(grep -m1 -E 'error' "$RES/$name-$n.log" || tail -n 1 "$RES/$name-$n.log")" >&2
    grep -m1 -E 'error' "$RES/$name-$n.log" >"$RES/$name-$n.fail" || tail -n 1 "$RES/$name-$n.log" >"$RES/$name-$n.fail"
    rm -rf "$out" "$out".old.*
    return 0
  fi
  hyperfine --style basic --warmup "$warmup" --runs "$runs" --prepare "$aside" \
    --export-json "$RES/$name-$n.json" "$cmd" >&2
  : >"$RES/$name-$n.time"
  for _ in $(seq "$timed"); do
    bash -c "$aside"
    /usr/bin/time -f "%e %U %S %M" -a -o "$RES/$name-$n.time" bash -c "$cmd" >/dev/null
  done
  echo "$(find "$out" -name '*.html' | wc -l) $(find "$out" -type f | wc -l) $(du -sb "$out" | cut -f1)" >"$RES/$name-$n.out"
  rm -rf "$out".old.*
}

for N in $SIZES; do
  W=$BENCH_DIR/$N
  ONLY="--only nianbao"
  [ -n "$HUGO" ] && ONLY="$ONLY --only hugo"
  [ -n "$ZOLA" ] && ONLY="$ONLY --only zola"
  # shellcheck disable=SC2086
  python3 benches/gen_site.py "$N" "$W" --seed "$SEED" $ONLY >"$RES/gen-$N.json"
  "$NIANBAO" check -c "$W/nianbao/content" >&2 || true
  measure nianbao "$N" "$W/out-nianbao" "$NIANBAO" build -q -c "$W/nianbao/content" -o "$W/out-nianbao"
  if [ -n "$NIANBAO_ALT" ]; then
    measure nianbao-alt "$N" "$W/out-nianbao-alt" "$BENCH_DIR/bin/nianbao-alt" build -q -c "$W/nianbao/content" -o "$W/out-nianbao-alt"
  fi
  if [ -n "$HUGO" ]; then
    measure hugo "$N" "$W/out-hugo" "$HUGO" --quiet --minify -s "$W/hugo" -d "$W/out-hugo"
  fi
  if [ -n "$ZOLA" ]; then
    measure zola "$N" "$W/out-zola" "$ZOLA" --root "$W/zola" build --output-dir "$W/out-zola"
  fi
  # Like is compared with like only if every tool wrote the same pages.
  if [ -d "$W/out-nianbao" ]; then
    SAME_ARGS=()
    [ -d "$W/out-hugo" ] && SAME_ARGS+=(--hugo "$W/out-hugo")
    [ -d "$W/out-zola" ] && SAME_ARGS+=(--zola "$W/out-zola")
    if ! python3 benches/same_pages.py "$W/out-nianbao" "${SAME_ARGS[@]}" >"$RES/same-$N.txt"; then
      echo "   the tools wrote different pages at N = $N: see $RES/same-$N.txt" >&2
    fi
    cat "$RES/same-$N.txt" >&2
  fi
  # The floor: copying a finished nianbao output tree.
  for src in "$W/out-nianbao" "$W/out-nianbao-alt"; do
    if [ -d "$src" ]; then
      mv "$src" "$W/copy-src"
      measure copy "$N" "$W/out-copy" cp -r "$W/copy-src" "$W/out-copy"
      break
    fi
  done
  # Keep the disk small for the next N: the outputs were measured already.
  rm -rf "$W"/out-* "$W/copy-src"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$RES/machine.txt"

python3 benches/report.py "$RES" "$SIZES" >"$RES/table.md"
cat "$RES/table.md"
if [ "$WRITE" = 1 ]; then
  python3 benches/report.py --update BENCHMARKS.md "$RES/table.md"
  echo "wrote the table into BENCHMARKS.md" >&2
fi
