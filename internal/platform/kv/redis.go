package kv

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/redis/go-redis/v9"
)

// openPingTimeout bounds the reachability check in OpenRedis: a missing Redis
// should stop startup with a clear message, not hang it.
const openPingTimeout = 5 * time.Second

// incrScript counts and starts the window in one atomic step, so no crash or
// concurrent caller can leave a counter without expiry (which would rate-limit
// its key forever). The PTTL < 0 branch also repairs a key that somehow has
// no expiry instead of trusting that only the first call sets it.
const incrScript = `
local n = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if n == 1 or ttl < 0 then
	redis.call('PEXPIRE', KEYS[1], ARGV[1])
	ttl = tonumber(ARGV[1])
end
return {n, ttl}
`

// deleteIfScript compares and deletes in one step: between a GET and a DEL
// sent separately, the key could expire and be taken by another holder,
// whose lease the DEL would then remove.
const deleteIfScript = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
	return redis.call('DEL', KEYS[1])
end
return 0
`

// Redis is the Store backed by a Redis server.
type Redis struct {
	client   *redis.Client
	prefix   string
	incr     *redis.Script
	deleteIf *redis.Script
}

var _ Store = (*Redis)(nil)

// NewRedis returns a Store over client. prefix (for example "luneo:") is put
// in front of every key so that several applications, or parallel tests, can
// share one Redis database without seeing each other's keys.
func NewRedis(client *redis.Client, prefix string) *Redis {
	return &Redis{client: client, prefix: prefix, incr: redis.NewScript(incrScript),
		deleteIf: redis.NewScript(deleteIfScript)}
}

// OpenRedis connects to the Redis at rawURL (redis://[user:pass@]host:port/db
// or rediss:// for TLS) and checks that it answers, so a wrong REDIS_URL fails
// at startup rather than on the first request.
func OpenRedis(ctx context.Context, rawURL, prefix string) (*Redis, error) {
	opts, err := redis.ParseURL(rawURL)
	if err != nil {
		// url.Error repeats the whole URL, password included; keep only the reason.
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		return nil, fmt.Errorf("kv: parse redis URL: %w", err)
	}
	client := redis.NewClient(opts)
	pctx, cancel := context.WithTimeout(ctx, openPingTimeout)
	defer cancel()
	if err := client.Ping(pctx).Err(); err != nil {
		_ = client.Close()
		return nil, fmt.Errorf("kv: the Redis at %s is unreachable: %w", opts.Addr, err)
	}
	return NewRedis(client, prefix), nil
}

// Close releases the client's connections.
func (r *Redis) Close() error {
	return r.client.Close()
}

// Set implements Store with SET PX.
func (r *Redis) Set(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	if err := validateKey(key); err != nil {
		return err
	}
	if err := validateTTL("ttl", ttl); err != nil {
		return err
	}
	if err := r.client.Set(ctx, r.prefix+key, value, ms(ttl)).Err(); err != nil {
		return fmt.Errorf("kv: redis set: %w", err)
	}
	return nil
}

// SetNX implements Store with SET NX PX, which Redis runs atomically.
func (r *Redis) SetNX(ctx context.Context, key string, value []byte, ttl time.Duration) (bool, error) {
	if err := validateKey(key); err != nil {
		return false, err
	}
	if err := validateTTL("ttl", ttl); err != nil {
		return false, err
	}
	ok, err := r.client.SetNX(ctx, r.prefix+key, value, ms(ttl)).Result()
	if err != nil {
		return false, fmt.Errorf("kv: redis setnx: %w", err)
	}
	return ok, nil
}

// Get implements Store with GET; Redis itself hides expired keys.
func (r *Redis) Get(ctx context.Context, key string) ([]byte, error) {
	if err := validateKey(key); err != nil {
		return nil, err
	}
	v, err := r.client.Get(ctx, r.prefix+key).Bytes()
	if err != nil {
		return nil, notFound("get", err)
	}
	return v, nil
}

// Take implements Store with GETDEL (Redis 6.2+), a single atomic command.
func (r *Redis) Take(ctx context.Context, key string) ([]byte, error) {
	if err := validateKey(key); err != nil {
		return nil, err
	}
	v, err := r.client.GetDel(ctx, r.prefix+key).Bytes()
	if err != nil {
		return nil, notFound("getdel", err)
	}
	return v, nil
}

// Delete implements Store with DEL.
func (r *Redis) Delete(ctx context.Context, key string) error {
	if err := validateKey(key); err != nil {
		return err
	}
	if err := r.client.Del(ctx, r.prefix+key).Err(); err != nil {
		return fmt.Errorf("kv: redis del: %w", err)
	}
	return nil
}

// DeleteIf implements Store with a Lua script (GET, compare, DEL), which
// Redis runs without interleaving other commands.
func (r *Redis) DeleteIf(ctx context.Context, key string, value []byte) (bool, error) {
	if err := validateKey(key); err != nil {
		return false, err
	}
	n, err := r.deleteIf.Run(ctx, r.client, []string{r.prefix + key}, value).Int64()
	if err != nil {
		return false, fmt.Errorf("kv: redis deleteif: %w", err)
	}
	return n == 1, nil
}

// Incr implements Store with a Lua script (INCR, then PEXPIRE on a new window,
// and PTTL), which Redis runs without interleaving other commands.
func (r *Redis) Incr(ctx context.Context, key string, window time.Duration) (int64, time.Duration, error) {
	if err := validateKey(key); err != nil {
		return 0, 0, err
	}
	if err := validateTTL("window", window); err != nil {
		return 0, 0, err
	}
	res, err := r.incr.Run(ctx, r.client, []string{r.prefix + key}, millis(window)).Int64Slice()
	if err != nil {
		return 0, 0, fmt.Errorf("kv: redis incr: %w", err)
	}
	if len(res) != 2 {
		return 0, 0, fmt.Errorf("kv: redis incr: script returned %d values, want 2", len(res))
	}
	return res[0], time.Duration(res[1]) * time.Millisecond, nil
}

// Ping implements Store with PING.
func (r *Redis) Ping(ctx context.Context) error {
	if err := r.client.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("kv: redis ping: %w", err)
	}
	return nil
}

// ms rounds d up to whole milliseconds, so go-redis sends exactly what the
// SQL backend stores instead of truncating (and logging) sub-millisecond parts.
func ms(d time.Duration) time.Duration {
	return time.Duration(millis(d)) * time.Millisecond
}

// notFound maps redis.Nil, the client's "no such key", to ErrNotFound and
// wraps any other error.
func notFound(op string, err error) error {
	if errors.Is(err, redis.Nil) {
		return ErrNotFound
	}
	return fmt.Errorf("kv: redis %s: %w", op, err)
}
