# Shared by ./lockbench and ./soak (sourced, not run): find a JDK 21+ and rebuild a module's jar when
# its sources changed. The sourcing script sets TOOL (its name, for messages) and ROOT (the repository).
# shellcheck shell=bash

MIN_JAVA=21

die() {
    echo "$TOOL: $*" >&2
    exit 1
}

# Prints the feature version of a java executable (8 for 1.8, 25 for 25.0.3), or nothing.
java_major() {
    local v
    v="$("$1" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)" || return 0
    case "$v" in
        1.*) v="${v#1.}" ;;
    esac
    v="${v%%[.+-]*}"
    [[ "$v" =~ ^[0-9]+$ ]] && echo "$v"
    return 0
}

# Prints $JAVA_HOME if it is a JDK 21+, else the newest JDK 21+ under /usr/lib/jvm, or nothing.
find_java() {
    local best="" best_major=0 major candidate
    if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
        major="$(java_major "$JAVA_HOME/bin/java")"
        if [[ -n "$major" && "$major" -ge "$MIN_JAVA" ]]; then
            echo "$JAVA_HOME"
            return
        fi
    fi
    for candidate in /usr/lib/jvm/*; do
        [[ -x "$candidate/bin/java" ]] || continue
        major="$(java_major "$candidate/bin/java")"
        if [[ -n "$major" && "$major" -ge "$MIN_JAVA" && "$major" -gt "$best_major" ]]; then
            best="$candidate"
            best_major="$major"
        fi
    done
    [[ -n "$best" ]] && echo "$best"
    return 0
}

# Sets JDK, JAVA and MAJOR, or dies with advice.
require_java() {
    JDK="$(find_java)"
    [[ -n "$JDK" ]] || die "needs a JDK $MIN_JAVA or newer, and found none: JAVA_HOME is '${JAVA_HOME:-unset}' and /usr/lib/jvm has no JDK >= $MIN_JAVA. Install one (e.g. Temurin 25) or point JAVA_HOME at it."
    JAVA="$JDK/bin/java"
    MAJOR="$(java_major "$JAVA")"
}

# needs_build JAR MODULE...: true when JAR is missing or a source or POM of the root or a MODULE is newer.
needs_build() {
    local jar="$1" dirs=() m
    shift
    for m in "$@"; do
        dirs+=("$ROOT/$m")
    done
    [[ -f "$jar" ]] || return 0
    [[ -n "$(find "$ROOT/pom.xml" "${dirs[@]}" \
        \( -path '*/target' -prune \) -o \( -type f \( -name '*.java' -o -name 'pom.xml' \) -newer "$jar" -print \) \
        2>/dev/null | head -n 1)" ]]
}

# build_jar JAR MODULE [MAVEN_ARG...]: builds MODULE (and what it needs) with Maven, quietly, on $JDK.
build_jar() {
    local jar="$1" module="$2" maven_opts
    shift 2
    command -v mvn >/dev/null 2>&1 || die "needs Maven (mvn) to build $jar; install it or build the jar yourself."
    echo "$TOOL: building ${jar#"$ROOT"/} (first run, or sources changed)..." >&2
    maven_opts="${MAVEN_OPTS:-}"
    if [[ "$MAJOR" -ge 24 ]]; then
        maven_opts="$maven_opts --sun-misc-unsafe-memory-access=allow" # quiets Maven's own Guava on JDK 24+
    fi
    # Maven runs on the same JDK: the jar tool of an older one cannot read Java 21 module descriptors.
    # Build output goes to stderr (stdout is for the results), without Maven's stray colour codes.
    # The tools need neither the javadoc nor the sources jars of core and locks: skipped, to build faster.
    (cd "$ROOT" && JAVA_HOME="$JDK" MAVEN_OPTS="$maven_opts" mvn -B -q -Dstyle.color=never -pl "$module" -am package -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true "$@" 2>&1) \
        | sed $'s/\e\\[[0-9;]*m//g' >&2 \
        || die "the build failed (see above)."
    [[ -f "$jar" ]] || die "the build did not produce $jar."
}
