package riskledger

import (
	"context"
	"errors"
	"io"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

// The policy's own mechanisms, without a server: the invoker and the
// streamer are fakes, and waiting before a retry is recorded, not slept.

const getRisk = "/riskledger.v1.AssessmentService/GetRisk"

// failingPolicy answers every attempt with UNAVAILABLE and records the
// waits and each attempt's call options.
func failingPolicy(options Options) (*callPolicy, grpc.UnaryInvoker, *[]time.Duration, *[][]grpc.CallOption) {
	policy := newCallPolicy(options)
	var waits []time.Duration
	var attempts [][]grpc.CallOption
	policy.wait = func(_ context.Context, d time.Duration) error {
		waits = append(waits, d)
		return nil
	}
	invoker := func(_ context.Context, _ string, _, _ interface{}, _ *grpc.ClientConn,
		opts ...grpc.CallOption) error {
		attempts = append(attempts, opts)
		return status.Error(codes.Unavailable, "injected (test)")
	}
	return policy, invoker, &waits, &attempts
}

func TestBackoffDoublesUpToItsCapWithJitter(t *testing.T) {
	policy, invoker, waits, _ := failingPolicy(Options{MaxAttempts: 6,
		InitialBackoff: 10 * time.Millisecond, MaxBackoff: 40 * time.Millisecond})
	err := policy.intercept(context.Background(), getRisk, nil, nil, nil, invoker)
	if status.Code(err) != codes.Unavailable {
		t.Fatalf("code %v, want Unavailable", status.Code(err))
	}
	bases := []time.Duration{10, 20, 40, 40, 40}
	if len(*waits) != len(bases) {
		t.Fatalf("%d waits for 6 attempts, want 5: %v", len(*waits), *waits)
	}
	for i, base := range bases {
		base *= time.Millisecond
		if w := (*waits)[i]; w < base/2 || w > base {
			t.Errorf("wait %d is %v, want within [%v, %v]", i+1, w, base/2, base)
		}
	}
}

func TestJitterSpreadsWaitsOverTheUpperHalf(t *testing.T) {
	const base = 100 * time.Millisecond
	least, most := base, time.Duration(0)
	for i := 0; i < 1000; i++ {
		w := jitter(base)
		if w < base/2 || w > base {
			t.Fatalf("jitter(%v) = %v, outside [%v, %v]", base, w, base/2, base)
		}
		if w < least {
			least = w
		}
		if w > most {
			most = w
		}
	}
	// With 1000 uniform draws, both ends of the range are reached to within
	// a tenth of it (the chance of not doing so is below 1e-40).
	if least > 55*time.Millisecond || most < 95*time.Millisecond {
		t.Errorf("1000 waits between %v and %v: not spread over [50ms, 100ms]", least, most)
	}
}

func TestNoRetryOutlivesTheDeadline(t *testing.T) {
	policy, invoker, waits, attempts := failingPolicy(Options{MaxAttempts: 5,
		InitialBackoff: time.Hour, MaxBackoff: time.Hour})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err := policy.intercept(ctx, getRisk, nil, nil, nil, invoker)
	if status.Code(err) != codes.Unavailable || len(*attempts) != 1 || len(*waits) != 0 {
		t.Errorf("code %v after %d attempts and %d waits; want the first failure, no wait",
			status.Code(err), len(*attempts), len(*waits))
	}
}

// failedStream is a stream whose first message is an error (or io.EOF).
type failedStream struct {
	grpc.ClientStream
	err error
}

func (s failedStream) RecvMsg(interface{}) error { return s.err }

func (s failedStream) Header() (metadata.MD, error) { return nil, s.err }

// streamEnding opens a stream through the policy on a fake that answers
// `err`, and returns it with the context the fake was given.
func streamEnding(t *testing.T, err error, desc *grpc.StreamDesc) (grpc.ClientStream, context.Context) {
	t.Helper()
	var streamCtx context.Context
	streamer := func(ctx context.Context, _ *grpc.StreamDesc, _ *grpc.ClientConn, _ string,
		_ ...grpc.CallOption) (grpc.ClientStream, error) {
		streamCtx = ctx
		return failedStream{err: err}, nil
	}
	stream, openErr := newCallPolicy(Options{}).interceptStream(context.Background(), desc,
		nil, "/riskledger.v1.AuditService/ExportEvidence", streamer)
	if openErr != nil {
		t.Fatal(openErr)
	}
	return stream, streamCtx
}

func TestEveryWayAStreamEndsReleasesItsDefaultDeadline(t *testing.T) {
	serverStreaming := &grpc.StreamDesc{ServerStreams: true}
	stream, ctx := streamEnding(t, io.EOF, serverStreaming)
	if err := stream.RecvMsg(nil); err != io.EOF {
		t.Errorf("RecvMsg = %v, want io.EOF itself", err)
	}
	if ctx.Err() == nil {
		t.Error("io.EOF left the default deadline running")
	}
	failure := status.Error(codes.Unavailable, "gone (test)")
	stream, ctx = streamEnding(t, failure, serverStreaming)
	if _, err := stream.Header(); err == nil || ctx.Err() == nil {
		t.Errorf("Header error %v; context ended: %v", err, ctx.Err() != nil)
	}
	// A stream the server does not stream ends with its one answer.
	stream, ctx = streamEnding(t, nil, &grpc.StreamDesc{ClientStreams: true})
	if err := stream.RecvMsg(nil); err != nil || ctx.Err() == nil {
		t.Errorf("RecvMsg = %v; context ended: %v", err, ctx.Err() != nil)
	}
}

func TestAStreamEndsItsDefaultDeadlineWithItsLastMessage(t *testing.T) {
	policy := newCallPolicy(Options{})
	var streamCtx context.Context
	streamer := func(ctx context.Context, _ *grpc.StreamDesc, _ *grpc.ClientConn, _ string,
		_ ...grpc.CallOption) (grpc.ClientStream, error) {
		streamCtx = ctx
		return failedStream{err: status.Error(codes.NotFound, "no such tenant (test)")}, nil
	}
	stream, err := policy.interceptStream(context.Background(), &grpc.StreamDesc{}, nil,
		"/riskledger.v1.AuditService/ExportEvidence", streamer)
	if err != nil {
		t.Fatal(err)
	}
	deadline, ok := streamCtx.Deadline()
	if !ok || time.Until(deadline) < 9*time.Minute {
		t.Errorf("stream deadline %v (set %v), want the 10-minute default", deadline, ok)
	}
	err = stream.RecvMsg(nil)
	var e *Error
	if !errors.As(err, &e) || e.Code != codes.NotFound {
		t.Errorf("error %v, want a *Error with NotFound", err)
	}
	if streamCtx.Err() == nil {
		t.Error("the default deadline's context outlives the stream")
	}
}
