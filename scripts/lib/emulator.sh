# Shared by the benchmarks that drive `moonwatch emulator` in its own process.
# Source it after common.sh.

work=$(mktemp -d)
emulator_pid=
cleanup() {
  if [[ -n $emulator_pid ]]; then
    kill -TERM "$emulator_pid" 2>/dev/null || true
    wait "$emulator_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# start_emulator BINARY [EMULATOR OPTIONS...]: serves on a free port ($port, $base),
# its moonwatch.toml in $work; waits until it answers.
start_emulator() {
  local binary=$1
  shift
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  base="http://127.0.0.1:$port"
  "$binary" emulator --port "$port" "$@" >"$work/moonwatch.toml" 2>"$work/emulator.log" &
  emulator_pid=$!
  for _ in $(seq 100); do
    curl -sf "$base/_emulator/config" >/dev/null && return 0
    sleep 0.1
  done
  cat "$work/emulator.log" >&2
  return 1
}

# presign_metastudio FIRST COUNT FORMAT > FILE: GET requests for the MetaStudio job ids
# FORMAT % i (i from FIRST), signed (docs/contract.md §4, SDK-HMAC-SHA256) by an independent Python
# signer for the emulator's demo keys; valid for its 15-minute window. Each line:
# path <TAB> X-Sdk-Date <TAB> Authorization. Fails unless the emulator accepts the first.
presign_metastudio() {
  python3 - "$port" "$1" "$2" "$3" >"$work/presigned.tsv" <<'PY'
import hashlib, hmac, sys, time
port, first, count, id_format = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
ak, sk, project = "MWDEMOAK", "mw-demo-secret", "mw-demo-project"
date = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
for i in range(first, first + count):
    path = f"/v1/{project}/digital-human/stylized/picture-modelings/{id_format % i}"
    headers = {"content-type": "application/json", "host": f"127.0.0.1:{port}", "x-project-id": project, "x-sdk-date": date}
    names = sorted(headers)
    canonical = "\n".join(["GET", path + "/", "", "".join(f"{n}:{headers[n]}\n" for n in names), ";".join(names), hashlib.sha256(b"").hexdigest()])
    to_sign = f"SDK-HMAC-SHA256\n{date}\n{hashlib.sha256(canonical.encode()).hexdigest()}"
    signature = hmac.new(sk.encode(), to_sign.encode(), hashlib.sha256).hexdigest()
    print(f"{path}\t{date}\tSDK-HMAC-SHA256 Access={ak}, SignedHeaders={';'.join(names)}, Signature={signature}")
PY
  local path date authorization status
  IFS=$'\t' read -r path date authorization <"$work/presigned.tsv"
  status=$(curl -s -o /dev/null -w '%{http_code}' "$base$path" \
    -H "Content-Type: application/json" -H "X-Project-Id: mw-demo-project" -H "X-Sdk-Date: $date" -H "Authorization: $authorization")
  [[ $status == 200 ]] || { echo "pre-signed request answered $status" >&2; return 1; }
  cat "$work/presigned.tsv"
}
