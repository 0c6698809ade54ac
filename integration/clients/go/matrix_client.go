// matrix_client runs named scenarios with Go clientv3 (Debian's golang-etcd-server-dev, built in
// GOPATH mode by integration/clients/build-go-client.sh) against one endpoint and prints one JSON
// object: {"<scenario>": {"ok": true|false, "error": "...", "detail": {...}}}. A scenario reports
// what happened; integration/test_client_matrix.py decides whether that is what it expects.
package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"flag"
	"fmt"
	"io/ioutil"
	"os"
	"strings"
	"time"

	"go.etcd.io/etcd/clientv3"
	"go.etcd.io/etcd/clientv3/concurrency"
)

type outcome struct {
	OK     bool                   `json:"ok"`
	Error  string                 `json:"error,omitempty"`
	Detail map[string]interface{} `json:"detail,omitempty"`
}

type scenario func(ctx context.Context, c *clientv3.Client, prefix string) (map[string]interface{}, error)

var scenarios = map[string]scenario{
	"kv":                 kv,
	"range_prefix":       rangePrefix,
	"txn":                txn,
	"watch":              watch,
	"watch_many":         watchMany,
	"lease_keepalive":    leaseKeepAlive,
	"lease_refresh_once": leaseRefreshOnce,
	"lock":               lock,
	"election":           election,
	"compaction":         compaction,
	"member_list":        memberList,
}

func kv(ctx context.Context, c *clientv3.Client, p string) (map[string]interface{}, error) {
	if _, err := c.Put(ctx, p+"k", "v1"); err != nil {
		return nil, err
	}
	got, err := c.Get(ctx, p+"k")
	if err != nil {
		return nil, err
	}
	if len(got.Kvs) != 1 || string(got.Kvs[0].Value) != "v1" {
		return nil, fmt.Errorf("get returned %v", got.Kvs)
	}
	del, err := c.Delete(ctx, p+"k")
	if err != nil {
		return nil, err
	}
	return map[string]interface{}{"deleted": del.Deleted}, nil
}

func rangePrefix(ctx context.Context, c *clientv3.Client, p string) (map[string]interface{}, error) {
	for _, k := range []string{"r/a", "r/b", "r/c"} {
		if _, err := c.Put(ctx, p+k, k); err != nil {
			return nil, err
		}
	}
	ranged, err := c.Get(ctx, p+"r/a", clientv3.WithRange(p+"r/c"))
	if err != nil {
		return nil, err
	}
	prefixed, err := c.Get(ctx, p+"r/", clientv3.WithPrefix())
	if err != nil {
		return nil, err
	}
	return map[string]interface{}{"range": len(ranged.Kvs), "prefix": len(prefixed.Kvs)}, nil
}

func txn(ctx context.Context, c *clientv3.Client, p string) (map[string]interface{}, error) {
	if _, err := c.Put(ctx, p+"t", "old"); err != nil {
		return nil, err
	}
	swap := func(expect string) (bool, error) {
		r, err := c.Txn(ctx).If(clientv3.Compare(clientv3.Value(p+"t"), "=", expect)).
			Then(clientv3.OpPut(p+"t", "new")).Else(clientv3.OpGet(p + "t")).Commit()
		if err != nil {
			return false, err
		}
		return r.Succeeded, nil
	}
	first, err := swap("old")
	if err != nil {
		return nil, err
	}
	second, err := swap("old")
	if err != nil {
		return nil, err
	}
	return map[string]interface{}{"first": first, "second": second}, nil
}

func watch(ctx context.Context, c *clientv3.Client, p string) (map[string]interface{}, error) {
	return watchers(ctx, c, p+"w", 1)
}

func watchMany(ctx context.Context, c *clientv3.Client, p string) (map[string]interface{}, error) {
	return watchers(ctx, c, p+"wm", 10)
}

func watchers(ctx context.Context, c *clientv3.Client, key string, n int) (map[string]interface{}, error) {
	wctx, cancel := context.WithCancel(clientv3.WithRequireLeader(ctx))
	defer cancel()
	chans := make([]clientv3.WatchChan, n)
	for i := range chans {
		chans[i] = c.Watch(wctx, key, clientv3.WithCreatedNotify())
		if created := <-chans[i]; !created.Created {
			return nil, fmt.Errorf("watcher %d was not created: %v", i, created.Err())
		}
	}
	if _, err := c.Put(ctx, key, "event"); err != nil {
		return nil, err
	}
	seen := 0
	for _, ch := range chans {
		select {
		case resp := <-ch:
			if len(resp.Events) == 1 && string(resp.Events[0].Kv.Value) == "event" {
				seen++
			}
		case <-ctx.Done():
			return map[string]interface{}{"watchers": n, "seen": seen}, fmt.Errorf("watchers saw %d of %d events", seen, n)
		}
	}
	return map[string]interface{}{"watchers": n, "seen": seen}, nil
}

func leaseKeepAlive(ctx context.Context, c *clientv3.Client, p string) (map[string]interface{}, error) {
	lease, err := c.Grant(ctx, 5)
	if err != nil {
		return nil, err
	}
	if _, err := c.Put(ctx, p+"l", "leased", clientv3.WithLease(lease.ID)); err != nil {
		return nil, err
	}
	kctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ch, err := c.KeepAlive(kctx, lease.ID)
	if err != nil {
		return nil, err
	}
	// A TTL of 5 s: clientv3 closes the channel when no answer comes within the TTL, and through
	// the proxy the second answer waits for the proxy's own upstream keep-alive (up to a third of
	// the TTL more), which a loaded machine can stretch.
	answers := 0
	for answers < 2 { // the first answer at once, the next a third of the TTL later: the stream stays open
		select {
		case resp, open := <-ch:
			if !open || resp == nil {
				left, err := c.TimeToLive(context.Background(), lease.ID)
				if err == nil {
					return nil, fmt.Errorf("keep-alive channel closed after %d answers (lease TTL left: %d s)", answers, left.TTL)
				}
				return nil, fmt.Errorf("keep-alive channel closed after %d answers", answers)
			}
			answers++
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	_, err = c.Revoke(ctx, lease.ID)
	return map[string]interface{}{"answers": answers}, err
}

func leaseRefreshOnce(ctx context.Context, c *clientv3.Client, p string) (map[string]interface{}, error) {
	lease, err := c.Grant(ctx, 30)
	if err != nil {
		return nil, err
	}
	defer c.Revoke(context.Background(), lease.ID)
	resp, err := c.KeepAliveOnce(ctx, lease.ID)
	if err != nil {
		return nil, err
	}
	return map[string]interface{}{"ttl": resp.TTL}, nil
}

func lock(ctx context.Context, c *clientv3.Client, p string) (map[string]interface{}, error) {
	session, err := concurrency.NewSession(c, concurrency.WithTTL(10))
	if err != nil {
		return nil, err
	}
	defer session.Close()
	m := concurrency.NewMutex(session, p+"lock")
	if err := m.Lock(ctx); err != nil {
		return nil, err
	}
	other, err := concurrency.NewSession(c, concurrency.WithTTL(10))
	if err != nil {
		return nil, err
	}
	defer other.Close()
	tctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	blocked := concurrency.NewMutex(other, p+"lock").Lock(tctx) != nil
	return map[string]interface{}{"second_holder_blocked": blocked}, m.Unlock(ctx)
}

func election(ctx context.Context, c *clientv3.Client, p string) (map[string]interface{}, error) {
	session, err := concurrency.NewSession(c, concurrency.WithTTL(10))
	if err != nil {
		return nil, err
	}
	defer session.Close()
	e := concurrency.NewElection(session, p+"election")
	if err := e.Campaign(ctx, "me"); err != nil {
		return nil, err
	}
	leader, err := e.Leader(ctx)
	if err != nil {
		return nil, err
	}
	if len(leader.Kvs) != 1 || string(leader.Kvs[0].Value) != "me" {
		return nil, fmt.Errorf("leader is %v", leader.Kvs)
	}
	return map[string]interface{}{"leader": "me"}, e.Resign(ctx)
}

func compaction(ctx context.Context, c *clientv3.Client, p string) (map[string]interface{}, error) {
	first, err := c.Put(ctx, p+"c", "one")
	if err != nil {
		return nil, err
	}
	second, err := c.Put(ctx, p+"c", "two")
	if err != nil {
		return nil, err
	}
	old, err := c.Get(ctx, p+"c", clientv3.WithRev(first.Header.Revision))
	if err != nil {
		return nil, err
	}
	if len(old.Kvs) != 1 || string(old.Kvs[0].Value) != "one" {
		return nil, fmt.Errorf("revision %d read %v", first.Header.Revision, old.Kvs)
	}
	if _, err := c.Compact(ctx, second.Header.Revision, clientv3.WithCompactPhysical()); err != nil {
		return nil, err
	}
	_, err = c.Get(ctx, p+"c", clientv3.WithRev(first.Header.Revision))
	compacted := err != nil && strings.Contains(err.Error(), "compacted")
	if !compacted {
		return nil, fmt.Errorf("a read below the compaction revision gave %v", err)
	}
	return map[string]interface{}{"old_revision_readable": true, "compacted_read_refused": compacted}, nil
}

func memberList(ctx context.Context, c *clientv3.Client, p string) (map[string]interface{}, error) {
	resp, err := c.MemberList(ctx)
	if err != nil {
		return nil, err
	}
	urls := []string{}
	for _, m := range resp.Members {
		urls = append(urls, m.ClientURLs...)
	}
	return map[string]interface{}{"members": len(resp.Members), "client_urls": urls}, nil
}

func tlsConfig(ca, cert, key string) (*tls.Config, error) {
	if ca == "" {
		return nil, nil
	}
	pem, err := ioutil.ReadFile(ca)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	config := &tls.Config{RootCAs: pool}
	if cert != "" {
		pair, err := tls.LoadX509KeyPair(cert, key)
		if err != nil {
			return nil, err
		}
		config.Certificates = []tls.Certificate{pair}
	}
	return config, nil
}

func main() {
	endpoint := flag.String("endpoint", "", "host:port")
	ca := flag.String("cacert", "", "CA file (TLS)")
	cert := flag.String("cert", "", "client certificate file")
	key := flag.String("key", "", "client key file")
	names := flag.String("scenarios", "", "comma list")
	prefix := flag.String("prefix", "", "key prefix for this run")
	flag.Parse()
	config, err := tlsConfig(*ca, *cert, *key)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	client, err := clientv3.New(clientv3.Config{Endpoints: []string{*endpoint}, DialTimeout: 5 * time.Second, TLS: config})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	defer client.Close()
	results := map[string]outcome{}
	for _, name := range strings.Split(*names, ",") {
		run, known := scenarios[name]
		if !known {
			results[name] = outcome{Error: "no such scenario in the Go client driver"}
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		detail, err := run(ctx, client, *prefix+name+"/")
		cancel()
		results[name] = outcome{OK: err == nil, Detail: detail}
		if err != nil {
			results[name] = outcome{Error: err.Error(), Detail: detail}
		}
	}
	json.NewEncoder(os.Stdout).Encode(results)
}
