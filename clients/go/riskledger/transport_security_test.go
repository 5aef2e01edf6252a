package riskledger_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"riskledger/clients/go/riskledger"
	rl "riskledger/clients/go/riskledgerv1"
)

// methodologyServer answers GetMethodology and keeps the authorization
// header of each call.
type methodologyServer struct {
	rl.UnimplementedAssessmentServiceServer
	mu            sync.Mutex
	authorization []string
}

func (s *methodologyServer) GetMethodology(ctx context.Context,
	request *rl.GetMethodologyRequest) (*rl.Methodology, error) {
	md, _ := metadata.FromIncomingContext(ctx)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.authorization = append(s.authorization, md.Get("authorization")...)
	return &rl.Methodology{Name: request.GetName()}, nil
}

func (s *methodologyServer) seen() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.authorization...)
}

// selfSignedCertificate for 127.0.0.1 and localhost, made for the test.
func selfSignedCertificate(t *testing.T) (tls.Certificate, *x509.Certificate) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	template := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "riskledger test server"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, template, template, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, parsed
}

// startGoServer serves methodologyServer on a loopback port, with TLS when
// a certificate is given; it returns the address.
func startGoServer(t *testing.T, certificate *tls.Certificate) (string, *methodologyServer) {
	t.Helper()
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var options []grpc.ServerOption
	if certificate != nil {
		options = append(options, grpc.Creds(credentials.NewServerTLSFromCert(certificate)))
	}
	server := grpc.NewServer(options...)
	service := &methodologyServer{}
	rl.RegisterAssessmentServiceServer(server, service)
	go func() { _ = server.Serve(listener) }()
	t.Cleanup(server.Stop)
	return listener.Addr().String(), service
}

func getMethodology(client *riskledger.Client) error {
	_, err := client.Assessment.GetMethodology(context.Background(),
		&rl.GetMethodologyRequest{Name: tenant + "/methodologies/default"})
	return err
}

func TestTheBearerTokenIsSentInPlainTextToLoopback(t *testing.T) {
	address, service := startGoServer(t, nil)
	client := dial(t, riskledger.Options{Address: address, BearerToken: "s3cret"})
	if err := getMethodology(client); err != nil {
		t.Fatal(err)
	}
	if seen := service.seen(); len(seen) != 1 || seen[0] != "Bearer s3cret" {
		t.Errorf("authorization %q, want one \"Bearer s3cret\"", seen)
	}
}

func TestTheBearerTokenIsSentOverTLS(t *testing.T) {
	certificate, parsed := selfSignedCertificate(t)
	address, service := startGoServer(t, &certificate)
	roots := x509.NewCertPool()
	roots.AddCert(parsed)
	client := dial(t, riskledger.Options{Address: address, BearerToken: "s3cret",
		TLS: &tls.Config{RootCAs: roots}})
	if err := getMethodology(client); err != nil {
		t.Fatal(err)
	}
	if seen := service.seen(); len(seen) != 1 || seen[0] != "Bearer s3cret" {
		t.Errorf("authorization %q, want one \"Bearer s3cret\"", seen)
	}
}

func TestAServerTheTLSConfigDoesNotTrustIsRefused(t *testing.T) {
	certificate, _ := selfSignedCertificate(t)
	address, service := startGoServer(t, &certificate)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	client := dial(t, riskledger.Options{Address: address, BearerToken: "s3cret",
		TLS: &tls.Config{RootCAs: x509.NewCertPool()}, MaxAttempts: 1})
	_, err := client.Assessment.GetMethodology(ctx,
		&rl.GetMethodologyRequest{Name: tenant + "/methodologies/default"})
	if status.Code(err) != codes.Unavailable {
		t.Errorf("code %v (%v), want Unavailable from the failed handshake", status.Code(err), err)
	}
	if seen := service.seen(); len(seen) != 0 {
		t.Errorf("the token reached an untrusted server: %q", seen)
	}
}

func TestTLSIsAcceptedBeyondLoopback(t *testing.T) {
	client, err := riskledger.Dial(context.Background(),
		riskledger.Options{Address: "192.0.2.1:50051", TLS: &tls.Config{}})
	if err != nil {
		t.Fatalf("Dial with TLS beyond loopback: %v", err)
	}
	client.Close()
}
