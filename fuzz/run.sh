#!/usr/bin/env bash
# Builds the libFuzzer targets with cargo alone (no cargo-fuzz, stable toolchain, no sanitizer:
# the coverage flags `cargo fuzz run -s none` passes) and runs them on seed corpora copied from
# `test-fixtures/`.
#
#   fuzz/run.sh [TARGET|all] [SECONDS]      run TARGET (default all) for SECONDS each (default 60)
#   fuzz/run.sh build                       build every target, run none
#
# Prints the executions of each target and, for a crash, the input libFuzzer saved
# (`fuzz/artifacts/TARGET/`). Exits 1 when a target crashed.
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd .. && pwd)
targets=(project_model variables js python rust write)
what=${1:-all}
seconds=${2:-60}

host=$(rustc -vV | sed -n 's/^host: //p')
# Coverage instrumentation for libFuzzer (inline 8-bit counters, PC table, comparison tracing), as
# cargo-fuzz sets it; `--target` keeps these flags off build scripts and proc-macros.
export RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing"
# Debug assertions and overflow checks come from the release profile in fuzz/Cargo.toml, which
# can leave them off for one dependency (a flag here would turn them on for every crate).
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/target}
cargo build --release --locked --target "$host" --bins
bin=$CARGO_TARGET_DIR/$host/release
[ "$what" = build ] && exit 0
if [ "$what" != all ]; then
    printf '%s\n' "${targets[@]}" | grep -qx "$what" || {
        echo "unknown target $what (one of: ${targets[*]} all build)" >&2
        exit 2
    }
    targets=("$what")
fi

# Seeds: configs for the config targets, handlers for the language targets.
seeds() {
    local fx=$root/test-fixtures
    case $1 in
    project_model | variables | write)
        find "$fx" -type f \( -name '*.yml' -o -name '*.yaml' -o -name '*.json' \) ! -name '*.snap' ;;
    js) find "$fx" -type f \( -name '*.js' -o -name '*.ts' -o -name '*.mjs' -o -name '*.cjs' \) ;;
    python) find "$fx" -type f -name '*.py' ;;
    rust) find "$fx" -type f -name '*.rs' ;;
    esac
}

# The targets analyse on the fuzzer's own thread (see src/lib.rs): give it the 256 MiB stack the
# binary's analysis thread has.
ulimit -s 262144
status=0
summary=()
for t in "${targets[@]}"; do
    corpus=corpus/$t
    mkdir -p "$corpus" "artifacts/$t"
    # Seed files are named by their content's hash, so a re-run adds nothing twice.
    while IFS= read -r f; do
        [ "$(wc -c <"$f")" -le 65536 ] || continue
        cp "$f" "$corpus/seed-$(sha1sum "$f" | cut -c1-16)"
    done < <(seeds "$t")
    log=artifacts/$t/last.log
    set +e
    "$bin/$t" "$corpus" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=4096 \
        -timeout=30 -print_final_stats=1 -artifact_prefix="artifacts/$t/" >"$log" 2>&1
    rc=$?
    set -e
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)
    [ -n "$execs" ] || execs=$(sed -n 's/^#\([0-9]*\)[[:space:]]*DONE.*/\1/p' "$log" | tail -n1)
    if [ $rc -eq 0 ]; then
        summary+=("$t: ${execs:-?} executions in ${seconds}s, no crash")
    else
        status=1
        crash=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n1)
        summary+=("$t: CRASH after ${execs:-?} executions: ${crash:-see fuzz/$log} (log: fuzz/$log)")
        grep -m5 -E "panicked|ERROR: libFuzzer|deadly signal" "$log" >&2 || true
    fi
done
printf '%s\n' "${summary[@]}"
exit $status
