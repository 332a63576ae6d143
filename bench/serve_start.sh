# Sourced by the serve benchmarks: start_server BIN INDEX LOG [FLAGS…]
# starts `thresh serve` on a free loopback port and sets SERVER (its PID)
# and URL (http://127.0.0.1:PORT, read from the line the server writes
# when it listens); fails with the server's log if it never listens.
start_server() {
    local bin=$1 index=$2 log=$3
    shift 3
    "$bin" serve "$index" --addr 127.0.0.1:0 "$@" 2> "$log" &
    SERVER=$!
    for _ in $(seq 100); do
        grep -q "http://" "$log" && break
        sleep 0.1
    done
    URL=$(grep -o "http://[0-9.:]*" "$log") || {
        echo "thresh serve did not start:" >&2
        cat "$log" >&2
        return 1
    }
}
