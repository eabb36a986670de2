# Sourced by the tools/ scripts: builds a module (and the modules it depends on) when its sources
# changed since the last build, then runs one of its Java mains.
#
#   run_java_main TOOL MODULE MAIN_CLASS ARGS...
#
# The runtime classpath is cached in MODULE/target/TOOL.classpath. The build is offline first
# (everything is normally in ~/.m2) and online only if something is missing. JAVA_OPTS passes JVM
# options (default -Xmx8g); TF_CPP_MIN_LOG_LEVEL defaults to 2: TF's legacy-logged banner and
# warnings ("Failed to delete RNG resource" at shutdown) stay quiet; errors show. Messages TF 2.18
# logs through absl before or outside that setting still appear (the MLIR start-up line, Grappler's
# "Error in PredictCost() for ... CropAndResize" warnings for the detector: harmless).
# TF_CPP_MIN_LOG_LEVEL=0 shows everything. TF_ENABLE_ONEDNN_OPTS defaults to 1: TensorFlow 2.18 turns
# its oneDNN kernels on by itself only on CPUs with AVX-512 VNNI/BF16 or AMX, and on an AVX2 CPU its
# Eigen convolution gradients made training 2x slower (BENCHMARKS.md, "oneDNN"); =0 restores TF's
# choice. MUST_PROFILES=p1,p2 builds with those Maven profiles
# (-Pp1,p2; e.g. beam-flink for the Beam pipeline's Flink runner) into a classpath of their own.

MUST_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

# Modules in dependency order; a module's build includes every module before it.
MUST_MODULES=(must-core must-data must-models must-experiments)

_must_upstream() {  # prints MODULE and the modules it depends on
  local m
  for m in "${MUST_MODULES[@]}"; do
    echo "$m"
    [[ "$m" == "$1" ]] && return 0
  done
  echo "unknown module $1" >&2
  return 1
}

run_java_main() {
  local tool="$1" module="$2" main="$3"
  shift 3
  if ! command -v mvn >/dev/null || ! command -v javac >/dev/null; then
    "$MUST_ROOT/tools/setup" build >&2
  fi
  local target="$MUST_ROOT/$module/target"
  local profiles="${MUST_PROFILES:-}"
  local cache="$target/$tool${profiles:+.$profiles}.classpath"
  local modules
  modules=($(_must_upstream "$module"))
  local watched=("$MUST_ROOT/pom.xml")
  local m
  for m in "${modules[@]}"; do watched+=("$MUST_ROOT/$m/pom.xml" "$MUST_ROOT/$m/src/main"); done

  if [[ ! -s "$cache" || -n "$(find "${watched[@]}" -newer "$cache" -print -quit 2>/dev/null)" ]]; then
    echo "$tool: building $module (sources changed since the last build)..." >&2
    mkdir -p "$target"
    local build=(mvn -B -q -ntp -Dstyle.color=never -DskipTests -pl "$module" -am
                 compile dependency:build-classpath
                 "-Dmdep.outputFile=target/$tool.dependencies" -Dmdep.includeScope=runtime
                 ${profiles:+"-P$profiles"})
    # Debian's Maven 3.8 prints colour resets even in batch mode: strip them.
    if ! (cd "$MUST_ROOT" && "${build[@]}" -o 2>&1 | sed -e 's/\x1b\[[0-9;]*m//g' >&2; exit "${PIPESTATUS[0]}"); then
      if ! (cd "$MUST_ROOT" && "${build[@]}" 2>&1 | sed -e 's/\x1b\[[0-9;]*m//g' >&2; exit "${PIPESTATUS[0]}"); then
        echo "$tool: the build failed" >&2
        exit 1
      fi
    fi
    local classes=""
    for m in "${modules[@]}"; do classes="$classes$MUST_ROOT/$m/target/classes:"; done
    local tmp
    tmp="$(mktemp "$target/.$tool.classpath.XXXXXX")"
    printf '%s%s\n' "$classes" "$(cat "$target/$tool.dependencies")" > "$tmp"
    mv "$tmp" "$cache"
  fi

  export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-2}"
  export TF_ENABLE_ONEDNN_OPTS="${TF_ENABLE_ONEDNN_OPTS:-1}"
  # shellcheck disable=SC2086  # JAVA_OPTS is a list of options
  exec java ${JAVA_OPTS:--Xmx8g} -Dmust.root="$MUST_ROOT" -cp "$(cat "$cache")" "$main" "$@"
}
