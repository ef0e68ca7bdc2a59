#!/bin/sh
# The yardstick of `npm run bench`: makes the same keys, certificates and kubeconfigs as the render
# of a cluster (kubeadm's set, as components/catalog lists it), with the openssl CLI, as many jobs at
# once as the machine has cores. Each leaf is a key and a CSR (`openssl req`) and a certificate
# signed by its CA (`openssl x509 -req`): the same signatures the render makes.
#
#   bench/openssl-tree.sh <RSA-2048|ECDSA-P256> <nodes-file> <out-dir>
#
# <nodes-file>: one node per line, `<name> <control-plane|worker> <address>`. <out-dir> must not exist.
set -eu

newkey() {
  case $1 in
    RSA-2048) echo "-newkey rsa:2048" ;;
    ECDSA-P256) echo "-newkey ec -pkeyopt ec_paramgen_curve:P-256" ;;
    *) echo "unsupported algorithm $1" >&2; exit 2 ;;
  esac
}

# ca <alg> <pki-dir> <file stem> <CN>: a CA key and self-signed certificate (10 years).
ca() {
  openssl req -x509 $(newkey "$1") -nodes -days 3650 -subj "/CN=$4" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign" \
    -addext "subjectAltName=DNS:$4" -keyout "$2/$3.key" -out "$2/$3.crt" 2>/dev/null
  chmod 600 "$2/$3.key"
}

# leaf <alg> <pki-dir> <node-dir> <file stem> <ca stem> <subject> <eku> <SANs or -> [kubeconfig server]:
# a key, a CSR and a certificate (1 year) under <node-dir>; with a server, a kubeconfig instead.
leaf() {
  alg=$1 pki=$2 dir=$3 stem=$4 castem=$5 subj=$6 eku=$7 sans=$8 server=${9:-}
  mkdir -p "$(dirname "$dir/$stem")"
  ext="basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=$eku"
  [ "$sans" = - ] || ext="$ext
subjectAltName=$sans"
  printf '%s\n' "$ext" > "$dir/$stem.ext"
  openssl req -new $(newkey "$alg") -nodes -subj "$subj" -keyout "$dir/$stem.key" 2>/dev/null |
    openssl x509 -req -CA "$pki/$castem.crt" -CAkey "$pki/$castem.key" -days 365 \
      -extfile "$dir/$stem.ext" -out "$dir/$stem.crt" 2>/dev/null
  rm "$dir/$stem.ext"
  chmod 600 "$dir/$stem.key"
  [ -n "$server" ] || return 0
  user=$(echo "$subj" | sed 's|^/CN=\([^/]*\).*|\1|')
  umask 077
  cat > "$dir/$stem.conf" <<CONF
apiVersion: v1
kind: Config
clusters:
- cluster:
    certificate-authority-data: $(base64 -w0 "$pki/$castem.crt")
    server: $server
  name: kubernetes
contexts:
- context:
    cluster: kubernetes
    user: $user
  name: $user@kubernetes
current-context: $user@kubernetes
users:
- name: $user
  user:
    client-certificate-data: $(base64 -w0 "$dir/$stem.crt")
    client-key-data: $(base64 -w0 "$dir/$stem.key")
CONF
  rm "$dir/$stem.crt" "$dir/$stem.key"
}

if [ "${1:-}" = leaf ]; then shift; leaf "$@"; exit; fi

alg=$1 nodes=$2 out=$3
jobs=$(nproc)
pki=$out/ca
mkdir -p "$pki/etcd"
ca "$alg" "$pki" ca kubernetes &
ca "$alg" "$pki" etcd/ca etcd-ca &
ca "$alg" "$pki" front-proxy-ca front-proxy-ca &
openssl genpkey $( [ "$alg" = RSA-2048 ] && echo "-algorithm RSA -pkeyopt rsa_keygen_bits:2048" || echo "-algorithm EC -pkeyopt ec_paramgen_curve:P-256") \
  -out "$pki/sa.key" 2>/dev/null && openssl pkey -in "$pki/sa.key" -pubout -out "$pki/sa.pub" 2>/dev/null &
wait

endpoint=https://api.dev.example.com:6443
svc="DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,IP:10.96.0.1"
self=$0
# One job per line: the arguments of `leaf`, fields without spaces.
{
  K=/etc/kubernetes P=/etc/kubernetes/pki
  echo "$alg $pki $out/admin admin ca /CN=kubernetes-admin/O=kubeadm:cluster-admins clientAuth - $endpoint"
  echo "$alg $pki $out/admin super-admin ca /CN=kubernetes-super-admin/O=system:masters clientAuth - $endpoint"
  while read -r name role address; do
    d=$out/nodes/$name
    echo "$alg $pki $d /var/lib/kubelet/pki/kubelet ca /CN=system:node:$name/O=system:nodes serverAuth DNS:$name,IP:$address"
    echo "$alg $pki $d $K/kubelet ca /CN=system:node:$name/O=system:nodes clientAuth - $endpoint"
    echo "$alg $pki $d /var/lib/kube-proxy/kubeconfig ca /CN=system:kube-proxy clientAuth - $endpoint"
    [ "$role" = control-plane ] || continue
    local_api=https://$address:6443
    echo "$alg $pki $d $P/apiserver ca /CN=kube-apiserver serverAuth DNS:$name,$svc,IP:$address,DNS:api.dev.example.com"
    echo "$alg $pki $d $P/apiserver-kubelet-client ca /CN=kube-apiserver-kubelet-client/O=kubeadm:cluster-admins clientAuth -"
    echo "$alg $pki $d $K/admin ca /CN=kubernetes-admin/O=kubeadm:cluster-admins clientAuth - $endpoint"
    echo "$alg $pki $d $K/controller-manager ca /CN=system:kube-controller-manager clientAuth - $local_api"
    echo "$alg $pki $d $K/scheduler ca /CN=system:kube-scheduler clientAuth - $local_api"
    echo "$alg $pki $d $P/etcd/server etcd/ca /CN=$name serverAuth,clientAuth DNS:$name,DNS:localhost,IP:$address,IP:127.0.0.1,IP:::1"
    echo "$alg $pki $d $P/etcd/peer etcd/ca /CN=$name serverAuth,clientAuth DNS:$name,DNS:localhost,IP:$address,IP:127.0.0.1,IP:::1"
    echo "$alg $pki $d $P/etcd/healthcheck-client etcd/ca /CN=kube-etcd-healthcheck-client clientAuth -"
    echo "$alg $pki $d $P/apiserver-etcd-client etcd/ca /CN=kube-apiserver-etcd-client clientAuth -"
    echo "$alg $pki $d $P/front-proxy-client front-proxy-ca /CN=front-proxy-client clientAuth -"
  done < "$nodes"
} | xargs -P "$jobs" -L 1 sh "$self" leaf

# The CA certificates every node trusts, and on control-plane nodes the keys their processes sign with.
while read -r name role address; do
  d=$out/nodes/$name/etc/kubernetes/pki
  mkdir -p "$d/etcd"
  cp "$pki/ca.crt" "$d/ca.crt"
  [ "$role" = control-plane ] || continue
  cp -p "$pki/ca.key" "$pki/sa.key" "$pki/sa.pub" "$pki/front-proxy-ca.crt" "$d/"
  cp "$pki/etcd/ca.crt" "$d/etcd/ca.crt"
done < "$nodes"
