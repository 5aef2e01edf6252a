package riskledger

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"

	rl "riskledger/clients/go/riskledgerv1"
)

// Options says how to reach the server and how calls behave. The zero value
// of every field but Address is a usable default.
type Options struct {
	// Address is host:port of the server.
	Address string
	// TLS, when set, secures the connection; nil means plain text, which
	// Dial allows to loopback addresses only.
	TLS *tls.Config
	// BearerToken, when set, is sent as "authorization: Bearer <token>" on
	// every call.
	BearerToken string
	// DefaultTimeout bounds a call whose context has no deadline, all
	// attempts included (default 30 s).
	DefaultTimeout time.Duration
	// StreamTimeout bounds a streaming call (an evidence export) whose
	// context has no deadline (default 10 min).
	StreamTimeout time.Duration
	// MaxAttempts of a retryable call (default 5; 1 disables retries).
	MaxAttempts int
	// InitialBackoff before the first retry, doubled per retry up to
	// MaxBackoff, with jitter (defaults 50 ms and 2 s).
	InitialBackoff time.Duration
	MaxBackoff     time.Duration
	// Interceptors run inside the retry loop, once per attempt (logging,
	// metrics, tests that simulate a lost answer).
	Interceptors []grpc.UnaryClientInterceptor
	// StreamInterceptors run inside the client's own stream policy.
	StreamInterceptors []grpc.StreamClientInterceptor
	// DialOptions are passed to grpc.DialContext after the client's own.
	DialOptions []grpc.DialOption
}

// Client is a connection to a riskledger server with a stub per service.
// Safe for concurrent use.
type Client struct {
	conn *grpc.ClientConn

	Assessment rl.AssessmentServiceClient
	Audit      rl.AuditServiceClient
	Admin      rl.AdminServiceClient
}

// Dial connects to the server (lazily: a server that is not up yet makes
// the first calls UNAVAILABLE, which they retry).
func Dial(ctx context.Context, options Options) (*Client, error) {
	if options.Address == "" {
		return nil, errors.New("riskledger: Options.Address is empty")
	}
	dialOptions, err := options.dialOptions()
	if err != nil {
		return nil, err
	}
	conn, err := grpc.DialContext(ctx, options.Address, dialOptions...)
	if err != nil {
		return nil, fmt.Errorf("riskledger: dial %s: %w", options.Address, err)
	}
	return &Client{
		conn:       conn,
		Assessment: rl.NewAssessmentServiceClient(conn),
		Audit:      rl.NewAuditServiceClient(conn),
		Admin:      rl.NewAdminServiceClient(conn),
	}, nil
}

// Conn is the connection, for the generated client of any service:
// riskledgerv1.NewXServiceClient(client.Conn()) gets the same behaviour.
func (c *Client) Conn() *grpc.ClientConn { return c.conn }

// Close closes the connection.
func (c *Client) Close() error { return c.conn.Close() }

func (o Options) dialOptions() ([]grpc.DialOption, error) {
	var dial []grpc.DialOption
	if o.TLS != nil {
		dial = append(dial, grpc.WithTransportCredentials(credentials.NewTLS(o.TLS)))
	} else {
		loopback, err := isLoopback(o.Address)
		if err != nil {
			return nil, err
		}
		if !loopback {
			return nil, fmt.Errorf("riskledger: plain text to %s: allowed to loopback addresses only; set Options.TLS", o.Address)
		}
		dial = append(dial, grpc.WithInsecure())
	}
	if o.BearerToken != "" {
		dial = append(dial, grpc.WithPerRPCCredentials(bearerToken{
			token: o.BearerToken, secure: o.TLS != nil}))
	}
	policy := newCallPolicy(o)
	dial = append(dial,
		grpc.WithChainUnaryInterceptor(
			append([]grpc.UnaryClientInterceptor{policy.intercept}, o.Interceptors...)...),
		grpc.WithChainStreamInterceptor(
			append([]grpc.StreamClientInterceptor{policy.interceptStream}, o.StreamInterceptors...)...))
	return append(dial, o.DialOptions...), nil
}

func isLoopback(address string) (bool, error) {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return false, fmt.Errorf("riskledger: address %q is not host:port: %w", address, err)
	}
	if host == "localhost" {
		return true, nil
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback(), nil
}

// bearerToken sends the token with every call; in plain text only on
// loopback (Dial refuses plain text elsewhere).
type bearerToken struct {
	token  string
	secure bool
}

func (b bearerToken) GetRequestMetadata(context.Context, ...string) (map[string]string, error) {
	return map[string]string{"authorization": "Bearer " + b.token}, nil
}

func (b bearerToken) RequireTransportSecurity() bool { return b.secure }
