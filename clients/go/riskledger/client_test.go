package riskledger_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"riskledger/clients/go/riskledger"
	rl "riskledger/clients/go/riskledgerv1"
)

const tenant = "tenants/acme"

// startServer runs the riskledgerd named by $RISKLEDGERD on an ephemeral
// loopback port and a temporary data directory; it returns the address.
func startServer(t *testing.T) string {
	t.Helper()
	binary := os.Getenv("RISKLEDGERD")
	if binary == "" {
		t.Fatal("RISKLEDGERD must name the riskledgerd binary to test against")
	}
	cmd := exec.Command(binary, "--listen=127.0.0.1:0", "--data_dir="+t.TempDir())
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	listening := regexp.MustCompile(`listening on (\S+)`)
	found := make(chan string, 1)
	exited := make(chan string, 1)
	go func() {
		var said strings.Builder
		scanner := bufio.NewScanner(stderr)
		for scanner.Scan() {
			said.WriteString(scanner.Text() + "\n")
			if m := listening.FindStringSubmatch(scanner.Text()); m != nil {
				found <- m[1]
			}
		}
		exited <- said.String()
	}()
	select {
	case address := <-found:
		return address
	case said := <-exited:
		t.Fatalf("riskledgerd ended before it listened; it said:\n%s", said)
	case <-time.After(30 * time.Second):
		t.Fatal("riskledgerd did not start listening within 30 s")
	}
	return ""
}

func dial(t *testing.T, options riskledger.Options) *riskledger.Client {
	t.Helper()
	client, err := riskledger.Dial(context.Background(), options)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	return client
}

func validAsset() *rl.Asset {
	return &rl.Asset{
		DisplayName: "Payroll",
		Owner:       "alice",
		Components:  []*rl.Component{{Name: "database"}},
	}
}

func validRisk(asset string) *rl.Risk {
	return &rl.Risk{
		Asset:              asset,
		Component:          "database",
		Vulnerability:      "passwords without a second factor",
		Threat:             &rl.Threat{Actor: "external attacker", AttackMethod: "phishing"},
		RiskFactor:         "weak authentication",
		RiskEvent:          "account takeover",
		Loss:               "disclosure of salary data",
		AffectedProperties: []rl.SecurityProperty{rl.SecurityProperty_SECURITY_PROPERTY_CONFIDENTIALITY},
		ImpactDescription:  "salaries become public",
		Owner:              "alice",
		Source:             rl.RiskSource_RISK_SOURCE_INTERNAL,
	}
}

func createAsset(t *testing.T, client *riskledger.Client, id string) *rl.Asset {
	t.Helper()
	asset, err := client.Assessment.CreateAsset(context.Background(),
		&rl.CreateAssetRequest{Parent: tenant, AssetId: id, Asset: validAsset()})
	if err != nil {
		t.Fatal(err)
	}
	return asset
}

func listRisks(t *testing.T, client *riskledger.Client) []*rl.Risk {
	t.Helper()
	page, err := client.Assessment.ListRisks(context.Background(),
		&rl.ListRisksRequest{Parent: tenant, PageSize: 100})
	if err != nil {
		t.Fatal(err)
	}
	return page.GetRisks()
}

func TestARiskIsCreatedAnalysedAndListed(t *testing.T) {
	client := dial(t, riskledger.Options{Address: startServer(t)})
	ctx := context.Background()
	asset := createAsset(t, client, "payroll")
	risk, err := client.Assessment.CreateRisk(ctx,
		&rl.CreateRiskRequest{Parent: tenant, Risk: validRisk(asset.GetName())})
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^R-\d{4}-\d{4}$`).MatchString(risk.GetRiskId()) {
		t.Errorf("risk id %q is not of the form R-YYYY-NNNN (M3)", risk.GetRiskId())
	}
	analysed, err := client.Assessment.AnalyseRisk(ctx, &rl.AnalyseRiskRequest{
		Name: risk.GetName(), Impact: 4, Likelihood: 3,
		ImpactRationale: "every salary", LikelihoodRationale: "phishing monthly",
	})
	if err != nil {
		t.Fatal(err)
	}
	// M5: the level is impact × likelihood.
	if got := analysed.GetAnalysis().GetComputedLevel(); got != 12 {
		t.Errorf("computed level %d, want 12", got)
	}
	risks := listRisks(t, client)
	if len(risks) != 1 || risks[0].GetName() != risk.GetName() {
		t.Errorf("ListRisks = %v, want just %s", risks, risk.GetName())
	}
}

func TestAFieldViolationIsReadOutOfInvalidArgument(t *testing.T) {
	client := dial(t, riskledger.Options{Address: startServer(t)})
	asset := createAsset(t, client, "payroll")
	risk := validRisk(asset.GetName())
	risk.Owner = ""
	_, err := client.Assessment.CreateRisk(context.Background(),
		&rl.CreateRiskRequest{Parent: tenant, Risk: risk})
	var e *riskledger.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v is not a *riskledger.Error", err)
	}
	if e.Code != codes.InvalidArgument {
		t.Errorf("code %v, want InvalidArgument", e.Code)
	}
	if description, ok := e.Violation("risk.owner"); !ok || description == "" {
		t.Errorf("no violation of risk.owner in %v", e.FieldViolations)
	}
	if e.Reason == "" || e.Domain != "riskledger.v1" {
		t.Errorf("ErrorInfo reason %q domain %q, want a reason in riskledger.v1", e.Reason, e.Domain)
	}
	if status.Code(err) != codes.InvalidArgument {
		t.Errorf("status.Code sees %v through the *Error", status.Code(err))
	}
}

// loseFirstAnswer lets the first attempt of each call reach the server, then
// reports UNAVAILABLE as if the answer had been lost on the way back.
func loseFirstAnswer(attempts *int32) grpc.UnaryClientInterceptor {
	return func(ctx context.Context, method string, req, reply interface{},
		cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
		err := invoker(ctx, method, req, reply, cc, opts...)
		if atomic.AddInt32(attempts, 1) == 1 && err == nil {
			return status.Error(codes.Unavailable, "answer lost (test)")
		}
		return err
	}
}

func TestAMutationRetriedAfterALostAnswerWritesOnce(t *testing.T) {
	address := startServer(t)
	plain := dial(t, riskledger.Options{Address: address})
	asset := createAsset(t, plain, "payroll")
	var attempts int32
	lossy := dial(t, riskledger.Options{Address: address,
		Interceptors: []grpc.UnaryClientInterceptor{loseFirstAnswer(&attempts)}})

	request := &rl.CreateRiskRequest{Parent: tenant, Risk: validRisk(asset.GetName())}
	risk, err := lossy.Assessment.CreateRisk(context.Background(), request)
	if err != nil {
		t.Fatal(err)
	}
	if attempts != 2 {
		t.Errorf("%d attempts, want 2 (the lost one and its retry)", attempts)
	}
	if request.GetRequestId() != "" {
		t.Errorf("the client changed the caller's request (request_id %q)", request.GetRequestId())
	}
	risks := listRisks(t, plain)
	if len(risks) != 1 || risks[0].GetName() != risk.GetName() {
		t.Errorf("register holds %d risks after one retried create, want just %s", len(risks), risk.GetName())
	}
	// The same request object sent again is a new mutation with a new id:
	// a second risk.
	if _, err := plain.Assessment.CreateRisk(context.Background(), request); err != nil {
		t.Fatal(err)
	}
	if got := len(listRisks(t, plain)); got != 2 {
		t.Errorf("register holds %d risks after a second create, want 2", got)
	}
}

// answerWith fails every attempt with `code` without calling the server.
func answerWith(code codes.Code, attempts *int32) grpc.UnaryClientInterceptor {
	return func(ctx context.Context, method string, req, reply interface{},
		cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
		atomic.AddInt32(attempts, 1)
		return status.Error(code, "injected (test)")
	}
}

func TestRetriesFollowTheCodeTheEtagAndTheRequestID(t *testing.T) {
	analyse := func(etag string) func(*riskledger.Client) error {
		return func(c *riskledger.Client) error {
			_, err := c.Assessment.AnalyseRisk(context.Background(),
				&rl.AnalyseRiskRequest{Name: tenant + "/risks/R-2026-0001", Etag: etag})
			return err
		}
	}
	updateWithResourceEtag := func(c *riskledger.Client) error {
		_, err := c.Assessment.UpdateRisk(context.Background(),
			&rl.UpdateRiskRequest{Risk: &rl.Risk{Name: tenant + "/risks/R-2026-0001", Etag: "7"}})
		return err
	}
	checkpoint := func(c *riskledger.Client) error { // a mutation without request_id
		_, err := c.Audit.CreateCheckpoint(context.Background(), &rl.CreateCheckpointRequest{})
		return err
	}
	read := func(c *riskledger.Client) error {
		_, err := c.Audit.GetCheckpoint(context.Background(), &rl.GetCheckpointRequest{})
		return err
	}
	cases := []struct {
		name         string
		code         codes.Code
		call         func(*riskledger.Client) error
		wantAttempts int32
	}{
		{"unavailable is retried", codes.Unavailable, analyse(""), 3},
		{"unavailable with an etag is retried", codes.Unavailable, analyse("7"), 3},
		{"unavailable of a read is retried", codes.Unavailable, read, 3},
		{"unavailable of a mutation without request id is not", codes.Unavailable, checkpoint, 1},
		{"aborted without an etag is retried", codes.Aborted, analyse(""), 3},
		{"aborted with an etag is not", codes.Aborted, analyse("7"), 1},
		{"aborted with the resource's etag is not", codes.Aborted, updateWithResourceEtag, 1},
		{"invalid argument is not", codes.InvalidArgument, analyse(""), 1},
		{"not found is not", codes.NotFound, analyse(""), 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var attempts int32
			client := dial(t, riskledger.Options{Address: "127.0.0.1:1", MaxAttempts: 3,
				InitialBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond,
				Interceptors: []grpc.UnaryClientInterceptor{answerWith(c.code, &attempts)}})
			err := c.call(client)
			if status.Code(err) != c.code {
				t.Errorf("code %v, want %v", status.Code(err), c.code)
			}
			if attempts != c.wantAttempts {
				t.Errorf("%d attempts, want %d", attempts, c.wantAttempts)
			}
		})
	}
}

func TestACallCancelledWhileWaitingToRetryEndsCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var attempts int32
	cancelAndFail := func(context.Context, string, interface{}, interface{},
		*grpc.ClientConn, grpc.UnaryInvoker, ...grpc.CallOption) error {
		atomic.AddInt32(&attempts, 1)
		cancel()
		return status.Error(codes.Unavailable, "injected (test)")
	}
	client := dial(t, riskledger.Options{Address: "127.0.0.1:1", InitialBackoff: time.Second,
		Interceptors: []grpc.UnaryClientInterceptor{cancelAndFail}})
	_, err := client.Assessment.GetRisk(ctx, &rl.GetRiskRequest{Name: tenant + "/risks/R-2026-0001"})
	if status.Code(err) != codes.Canceled || attempts != 1 {
		t.Errorf("code %v after %d attempts, want Canceled after 1", status.Code(err), attempts)
	}
}

func TestACallWithoutDeadlineGetsTheDefaultOne(t *testing.T) {
	address := startServer(t)
	var deadline time.Time
	var had bool
	record := func(ctx context.Context, method string, req, reply interface{},
		cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
		deadline, had = ctx.Deadline()
		return invoker(ctx, method, req, reply, cc, opts...)
	}
	client := dial(t, riskledger.Options{Address: address, DefaultTimeout: 7 * time.Second,
		Interceptors: []grpc.UnaryClientInterceptor{record}})
	before := time.Now()
	if _, err := client.Assessment.GetMethodology(context.Background(),
		&rl.GetMethodologyRequest{Name: tenant + "/methodologies/default"}); err != nil {
		t.Fatal(err)
	}
	if !had || deadline.Before(before.Add(6*time.Second)) || deadline.After(before.Add(8*time.Second)) {
		t.Errorf("deadline %v (set %v), want about 7 s after %v", deadline, had, before)
	}
	// The caller's own deadline is kept.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := client.Assessment.GetMethodology(ctx,
		&rl.GetMethodologyRequest{Name: tenant + "/methodologies/default"}); err != nil {
		t.Fatal(err)
	}
	if want, _ := ctx.Deadline(); !deadline.Equal(want) {
		t.Errorf("deadline %v, want the caller's %v", deadline, want)
	}
}

func TestPlainTextIsRefusedBeyondLoopback(t *testing.T) {
	_, err := riskledger.Dial(context.Background(), riskledger.Options{Address: "192.0.2.1:50051"})
	if err == nil {
		t.Fatal("Dial to a non-loopback address without TLS succeeded")
	}
	for _, address := range []string{"127.0.0.1:1", "localhost:1", "[::1]:1"} {
		client, err := riskledger.Dial(context.Background(), riskledger.Options{Address: address})
		if err != nil {
			t.Errorf("Dial(%s): %v", address, err)
			continue
		}
		client.Close()
	}
}

func TestAStreamFailureIsAnErrorWithItsDetails(t *testing.T) {
	address := startServer(t)
	var deadline time.Time
	var had bool
	record := func(ctx context.Context, desc *grpc.StreamDesc, cc *grpc.ClientConn,
		method string, streamer grpc.Streamer, opts ...grpc.CallOption) (grpc.ClientStream, error) {
		deadline, had = ctx.Deadline()
		return streamer(ctx, desc, cc, method, opts...)
	}
	client := dial(t, riskledger.Options{Address: address, StreamTimeout: 3 * time.Minute,
		StreamInterceptors: []grpc.StreamClientInterceptor{record}})
	before := time.Now()
	stream, err := client.Audit.ExportEvidence(context.Background(),
		&rl.ExportEvidenceRequest{Parent: "not-a-tenant"})
	if err == nil {
		_, err = stream.Recv()
	}
	var e *riskledger.Error
	if !errors.As(err, &e) || e.Code != codes.InvalidArgument {
		t.Fatalf("error %v, want a *riskledger.Error with InvalidArgument", err)
	}
	if _, ok := e.Violation("parent"); !ok {
		t.Errorf("no violation of parent in %v", e.FieldViolations)
	}
	if !had || deadline.Before(before.Add(2*time.Minute)) || deadline.After(before.Add(4*time.Minute)) {
		t.Errorf("stream deadline %v (set %v), want about 3 min after %v", deadline, had, before)
	}
}

func TestEvidenceStreamsToTheEnd(t *testing.T) {
	client := dial(t, riskledger.Options{Address: startServer(t)})
	createAsset(t, client, "payroll")
	stream, err := client.Audit.ExportEvidence(context.Background(),
		&rl.ExportEvidenceRequest{Parent: tenant})
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for {
		record, err := stream.Recv()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		kinds = append(kinds, fmt.Sprintf("%T", record.GetRecord()))
	}
	if len(kinds) < 3 || !strings.Contains(kinds[0], "Header") ||
		!strings.Contains(kinds[len(kinds)-1], "Trailer") {
		t.Errorf("records %v, want a header, entries and a trailer", kinds)
	}
}
