package riskledger

import (
	"context"
	"crypto/rand"
	"fmt"
	"math/big"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

const (
	defaultTimeout        = 30 * time.Second
	defaultMaxAttempts    = 5
	defaultInitialBackoff = 50 * time.Millisecond
	defaultMaxBackoff     = 2 * time.Second
)

// callPolicy is what every unary call goes through: default deadline,
// request id, retries, errors as *Error.
type callPolicy struct {
	timeout        time.Duration
	maxAttempts    int
	initialBackoff time.Duration
	maxBackoff     time.Duration
}

func newCallPolicy(o Options) *callPolicy {
	p := &callPolicy{
		timeout:        o.DefaultTimeout,
		maxAttempts:    o.MaxAttempts,
		initialBackoff: o.InitialBackoff,
		maxBackoff:     o.MaxBackoff,
	}
	if p.timeout <= 0 {
		p.timeout = defaultTimeout
	}
	if p.maxAttempts <= 0 {
		p.maxAttempts = defaultMaxAttempts
	}
	if p.initialBackoff <= 0 {
		p.initialBackoff = defaultInitialBackoff
	}
	if p.maxBackoff < p.initialBackoff {
		p.maxBackoff = defaultMaxBackoff
		if p.maxBackoff < p.initialBackoff {
			p.maxBackoff = p.initialBackoff
		}
	}
	return p
}

func (p *callPolicy) intercept(ctx context.Context, method string, req, reply interface{},
	cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
	if _, has := ctx.Deadline(); !has {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, p.timeout)
		defer cancel()
	}
	etagSent := false
	if message, ok := req.(proto.Message); ok {
		if err := ensureRequestID(message.ProtoReflect()); err != nil {
			return err
		}
		etagSent = stringField(message.ProtoReflect(), "etag") != ""
	}
	backoff := p.initialBackoff
	for attempt := 1; ; attempt++ {
		err := invoker(ctx, method, req, reply, cc, opts...)
		if err == nil {
			return nil
		}
		code := status.Code(err)
		if attempt >= p.maxAttempts || !retryable(code, etagSent) {
			return newError(err)
		}
		timer := time.NewTimer(jitter(backoff))
		select {
		case <-ctx.Done():
			timer.Stop()
			return newError(err)
		case <-timer.C:
		}
		if backoff *= 2; backoff > p.maxBackoff {
			backoff = p.maxBackoff
		}
	}
}

// retryable: UNAVAILABLE (nothing was applied, or the request id makes the
// retry answer from the server's record); ABORTED only without an etag (a
// concurrent change the server could not order; with an etag it means the
// caller's copy is stale and must be read again, not resent).
func retryable(code codes.Code, etagSent bool) bool {
	switch code {
	case codes.Unavailable:
		return true
	case codes.Aborted:
		return !etagSent
	}
	return false
}

// jitter: a uniformly random wait in [d/2, d].
func jitter(d time.Duration) time.Duration {
	half := int64(d / 2)
	if half <= 0 {
		return d
	}
	n, err := rand.Int(rand.Reader, big.NewInt(half+1))
	if err != nil {
		return d
	}
	return time.Duration(half + n.Int64())
}

// ensureRequestID sets a fresh request_id on a request that has the field
// (a mutation) and leaves it empty; the caller's own id is kept.
func ensureRequestID(message protoreflect.Message) error {
	field := message.Descriptor().Fields().ByName("request_id")
	if field == nil || field.Kind() != protoreflect.StringKind || field.IsList() {
		return nil
	}
	if message.Get(field).String() != "" {
		return nil
	}
	id, err := newRequestID()
	if err != nil {
		return err
	}
	message.Set(field, protoreflect.ValueOfString(id))
	return nil
}

func stringField(message protoreflect.Message, name protoreflect.Name) string {
	field := message.Descriptor().Fields().ByName(name)
	if field == nil || field.Kind() != protoreflect.StringKind || field.IsList() {
		return ""
	}
	return message.Get(field).String()
}

// newRequestID is a random (version 4) UUID, as AIP-155 recommends.
func newRequestID() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("riskledger: no randomness for a request id: %w", err)
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16]), nil
}
