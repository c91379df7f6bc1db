#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Counting shards on several machines (bytepiece(7), "With GNU parallel"):
# the page's --sshlogin commands, run verbatim against two real ssh
# "hosts" on loopback addresses, give byte for byte the counts of one
# process.  The hosts are one sshd started here, on a free port, with a
# throw-away host key and client key, that puts a login on 127.0.0.2 in
# its own working directory and one on 127.0.0.3 in another, as two
# machines would; each logs the commands it ran.  Needs root (sshd),
# sshd, ssh, GNU parallel and rsync (which --transferfile uses); skips
# otherwise.
. "${srcdir:-.}/init.sh"
mandir=$(cd "$srcdir/../man" && pwd) || framework_failure "no $srcdir/../man"
cd "$tmp" || framework_failure "cannot enter $tmp"

test "$(id -u)" = 0 || skip "sshd needs root"
sshd=$(command -v sshd || echo /usr/sbin/sshd)
test -x "$sshd" || skip "sshd (openssh-server) is not installed"
for p in ssh ssh-keygen rsync perl; do
  command -v $p > /dev/null 2>&1 || skip "$p is not installed"
done
command -v parallel > /dev/null 2>&1 || skip "GNU parallel is not installed"
parallel --version 2> /dev/null | grep -q 'GNU parallel' \
  || skip "parallel is not GNU parallel"
HOME=$tmp TMPDIR=$tmp
export HOME TMPDIR

# The commands of the page: the split of the sharding example, and the
# block that uses --sshlogin, with the roff escapes undone.
page=$mandir/bytepiece.7
test -r "$page" || framework_failure "no $page"
sed -n '/^\.EX$/,/^\.EE$/p' "$page" \
  | awk '/^\.EX$/ { block = ""; next }
         /^\.EE$/ { if (block ~ /--sshlogin/) printf "%s", block; next }
         { gsub(/\\-/, "-"); gsub(/\\e/, "\\"); block = block $0 "\n" }' \
  > remote.sh
grep -q -- '--sshlogin host1,host2' remote.sh \
  || framework_failure "no --sshlogin example for host1,host2 in $page"
split=$(sed -n 's/\\-/-/g; /^split .* corpus.txt part\.$/p' "$page" | tail -n 1)
test -n "$split" || framework_failure "no split command in $page"

mkdir -p /run/sshd host1 host2 || framework_failure "cannot make directories"
ssh-keygen -q -t ed25519 -N '' -f hostkey > /dev/null \
  && ssh-keygen -q -t ed25519 -N '' -f userkey > /dev/null \
  || framework_failure "ssh-keygen failed"
cp userkey.pub authorized_keys

# What each host runs for a login: its own directory, the programs under
# test first on PATH, and a log of the commands.
cat > login.sh <<EOF
#!/bin/sh
cd "\$1" || exit 1
PATH='$BP_BINDIR/src':\$PATH
export PATH
printf '%s\n' "\$SSH_ORIGINAL_COMMAND" >> "\$1.log"
exec /bin/sh -c "\$SSH_ORIGINAL_COMMAND"
EOF
chmod +x login.sh

# The client side: host1 and host2 as the page names them, the key made
# above, no questions.  parallel reaches them (and rsync through it)
# with $PARALLEL_SSH.
PARALLEL_SSH="ssh -F $tmp/ssh_config"
export PARALLEL_SSH
client_config ()
{
  cat > ssh_config <<EOF
Host host1
  HostName 127.0.0.2
Host host2
  HostName 127.0.0.3
Host host1 host2
  Port $port
  User root
  IdentityFile $tmp/userkey
  IdentitiesOnly yes
  StrictHostKeyChecking no
  UserKnownHostsFile /dev/null
  LogLevel ERROR
  BatchMode yes
  ConnectTimeout 5
EOF
}

# sshd on a port nobody listens on: it fails to start on a used one, so
# try a few.
sshd_pid=
trap 'test -n "$sshd_pid" && kill $sshd_pid 2> /dev/null; rm -rf "$tmp"' 0
for try in 1 2 3 4 5 6 7 8; do
  port=$((20000 + ($$ * 7 + try * 911) % 40000))
  cat > sshd_config <<EOF
ListenAddress 127.0.0.2:$port
ListenAddress 127.0.0.3:$port
HostKey $tmp/hostkey
PidFile $tmp/sshd.pid
AuthorizedKeysFile $tmp/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
StrictModes no
UsePAM no
LogLevel ERROR
Match LocalAddress 127.0.0.2
  ForceCommand $tmp/login.sh $tmp/host1
Match LocalAddress 127.0.0.3
  ForceCommand $tmp/login.sh $tmp/host2
EOF
  client_config
  "$sshd" -D -e -f "$tmp/sshd_config" 2> sshd.err &
  sshd_pid=$!
  # Ready when both hosts answer; gone when the port was taken.
  for wait in 1 2 3 4 5 6 7 8 9 10; do
    kill -0 $sshd_pid 2> /dev/null || break
    if $PARALLEL_SSH host1 true 2> ssh.err \
       && $PARALLEL_SSH host2 true 2>> ssh.err; then
      break 2
    fi
    sleep 0.5
  done
  kill $sshd_pid 2> /dev/null
  wait $sshd_pid 2> /dev/null
  sshd_pid=
done
test -n "$sshd_pid" \
  || framework_failure "no ssh host: $(cat sshd.err ssh.err 2> /dev/null)"
rm -f host1.log host2.log

corpus_for t3 8000
cp "$corpus" corpus.txt || framework_failure "cannot copy the corpus"

# One process.
bp-count -l -n 6 corpus.txt > one.ngrams || bad "bp-count -n failed"
bp-prune -k 32 one.ngrams > one.model || bad "bp-prune failed"
bp-count -l -m one.model corpus.txt > one.pieces || bad "bp-count -m failed"

# The page's commands, on the two hosts and here.
echo "+ $split"
eval "$split" || framework_failure "split failed"
cat remote.sh
sh -eu remote.sh > remote.out 2> remote.err \
  || bad "the page's --sshlogin commands failed: $(cat remote.err)"
compare one.ngrams ngrams.counts || bad "n-gram counts of the hosts differ"
compare one.model ngrams.model || bad "the n-gram models differ"
compare one.pieces pieces.counts || bad "piece counts of the hosts differ"

# Both hosts counted shards, in their own directories, and --cleanup left
# nothing there.  parallel sends each job as hex-encoded perl: decode the
# logged commands to find those that ran bp-count.
for h in host1 host2; do
  n=$(perl -ne 'if (s/^exec perl .*GNU_Parallel_worker\S*\s+//) {
                  s/\s+//g; $jobs++ if pack ("H*", $_) =~ /\bbp-count /;
                } END { print $jobs + 0 }' $h.log 2> /dev/null)
  echo "$h: ${n:-0} bp-count jobs"
  test "${n:-0}" -gt 0 || bad "$h counted no shard"
  left=$(ls -A $h)
  test -z "$left" || bad "$h keeps files after --cleanup: $left"
done
finish
