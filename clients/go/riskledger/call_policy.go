package riskledger

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"math/big"
	"strings"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

const (
	defaultTimeout        = 30 * time.Second
	defaultStreamTimeout  = 10 * time.Minute
	defaultMaxAttempts    = 5
	defaultInitialBackoff = 50 * time.Millisecond
	defaultMaxBackoff     = 2 * time.Second
)

// callPolicy is what every call goes through: a default deadline and
// errors as *Error; a unary call also gets a request id and retries.
type callPolicy struct {
	timeout        time.Duration
	streamTimeout  time.Duration
	maxAttempts    int
	initialBackoff time.Duration
	maxBackoff     time.Duration
	// wait sleeps before a retry, or returns the context's error when it
	// ends first (replaced in tests to record the backoff).
	wait func(ctx context.Context, d time.Duration) error
}

func newCallPolicy(o Options) *callPolicy {
	p := &callPolicy{
		timeout:        o.DefaultTimeout,
		streamTimeout:  o.StreamTimeout,
		maxAttempts:    o.MaxAttempts,
		initialBackoff: o.InitialBackoff,
		maxBackoff:     o.MaxBackoff,
		wait:           sleep,
	}
	if p.timeout <= 0 {
		p.timeout = defaultTimeout
	}
	if p.streamTimeout <= 0 {
		p.streamTimeout = defaultStreamTimeout
	}
	if p.maxAttempts <= 0 {
		p.maxAttempts = defaultMaxAttempts
	}
	if p.initialBackoff <= 0 {
		p.initialBackoff = defaultInitialBackoff
	}
	if p.maxBackoff <= 0 {
		p.maxBackoff = defaultMaxBackoff
	}
	if p.maxBackoff < p.initialBackoff {
		p.maxBackoff = p.initialBackoff
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
	etagSent, idempotent := false, isRead(method)
	if message, ok := req.(proto.Message); ok {
		// The id goes on a copy: the caller's request stays as it was, so
		// reusing it for another call is another mutation, not a replay.
		sent := proto.Clone(message)
		hasID, err := ensureRequestID(sent.ProtoReflect())
		if err != nil {
			return err
		}
		req = sent
		idempotent = idempotent || hasID
		etagSent = carriesEtag(sent.ProtoReflect())
	}
	backoff := p.initialBackoff
	for attempt := 1; ; attempt++ {
		err := invoker(ctx, method, req, reply, cc, opts...)
		if err == nil {
			return nil
		}
		code := status.Code(err)
		if attempt >= p.maxAttempts || !retryable(code, etagSent, idempotent) {
			return newError(err)
		}
		wait := jitter(backoff)
		if deadline, _ := ctx.Deadline(); time.Until(deadline) < wait {
			return newError(err)
		}
		if err := p.wait(ctx, wait); err != nil {
			return newError(err)
		}
		if backoff *= 2; backoff > p.maxBackoff {
			backoff = p.maxBackoff
		}
	}
}

func sleep(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return contextError(ctx)
	case <-timer.C:
		return nil
	}
}

// interceptStream gives a streaming call (an evidence export) a default
// deadline, longer than a unary call's, and its errors as *Error. Streams
// are not retried: records already delivered cannot be taken back.
func (p *callPolicy) interceptStream(ctx context.Context, desc *grpc.StreamDesc,
	cc *grpc.ClientConn, method string, streamer grpc.Streamer,
	opts ...grpc.CallOption) (grpc.ClientStream, error) {
	cancel := context.CancelFunc(func() {})
	if _, has := ctx.Deadline(); !has {
		ctx, cancel = context.WithTimeout(ctx, p.streamTimeout)
	}
	stream, err := streamer(ctx, desc, cc, method, opts...)
	if err != nil {
		cancel()
		return nil, newError(err)
	}
	return &policyStream{ClientStream: stream, cancel: cancel,
		serverStreams: desc.ServerStreams}, nil
}

// policyStream turns the stream's errors into *Error and releases the
// default deadline's timer on every way grpc says a stream ends: an error
// from RecvMsg, SendMsg or Header, io.EOF, or the one answer of a stream
// the server does not stream. A caller that stops reading early ends the
// stream by cancelling its context (otherwise it lasts until the deadline).
type policyStream struct {
	grpc.ClientStream
	cancel        context.CancelFunc
	serverStreams bool
}

func (s *policyStream) RecvMsg(m interface{}) error {
	err := s.ClientStream.RecvMsg(m)
	if err != nil || !s.serverStreams {
		s.cancel()
	}
	if err != nil && err != io.EOF {
		return newError(err)
	}
	return err
}

func (s *policyStream) SendMsg(m interface{}) error {
	err := s.ClientStream.SendMsg(m)
	if err != nil && err != io.EOF {
		s.cancel()
		return newError(err)
	}
	return err
}

func (s *policyStream) Header() (metadata.MD, error) {
	md, err := s.ClientStream.Header()
	if err != nil {
		s.cancel()
		return md, newError(err)
	}
	return md, nil
}

// retryable: UNAVAILABLE when a repeat cannot apply the call twice (a read,
// or a mutation with a request id: its retry is answered from the server's
// record) — the answer may have been lost after the server acted; ABORTED
// (a conflict the server could not order; nothing was applied) only without
// an etag: with one it means the caller's copy is stale and must be read
// again, not resent.
func retryable(code codes.Code, etagSent, idempotent bool) bool {
	switch code {
	case codes.Unavailable:
		return idempotent
	case codes.Aborted:
		return !etagSent
	}
	return false
}

// isRead: unary methods that only read (Get, List, Verify …), by the API's
// naming.
func isRead(method string) bool {
	name := method[strings.LastIndex(method, "/")+1:]
	for _, prefix := range []string{"Get", "List", "Verify"} {
		if strings.HasPrefix(name, prefix) {
			return true
		}
	}
	return false
}

func contextError(ctx context.Context) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return status.Error(codes.DeadlineExceeded, ctx.Err().Error())
	}
	return status.Error(codes.Canceled, ctx.Err().Error())
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
// (a mutation) and leaves it empty; the caller's own id is kept. It reports
// whether the request has one.
func ensureRequestID(message protoreflect.Message) (bool, error) {
	field := message.Descriptor().Fields().ByName("request_id")
	if field == nil || field.Kind() != protoreflect.StringKind || field.IsList() {
		return false, nil
	}
	if message.Get(field).String() != "" {
		return true, nil
	}
	id, err := newRequestID()
	if err != nil {
		return false, err
	}
	message.Set(field, protoreflect.ValueOfString(id))
	return true, nil
}

// carriesEtag: an etag on the request or on the resource it carries (an
// Update request's etag is the resource's own field).
func carriesEtag(message protoreflect.Message) bool {
	if stringField(message, "etag") != "" {
		return true
	}
	fields := message.Descriptor().Fields()
	for i := 0; i < fields.Len(); i++ {
		field := fields.Get(i)
		if field.Kind() == protoreflect.MessageKind && !field.IsList() && !field.IsMap() &&
			message.Has(field) && stringField(message.Get(field).Message(), "etag") != "" {
			return true
		}
	}
	return false
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
