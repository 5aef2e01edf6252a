// A first call with the Go client: registers an asset, identifies a risk on
// it, analyses the risk and lists the tenant's register in priority order.
//
//	go run ./example -address 127.0.0.1:50051 -tenant tenants/acme
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"

	"riskledger/clients/go/riskledger"
	rl "riskledger/clients/go/riskledgerv1"
)

func main() {
	address := flag.String("address", "127.0.0.1:50051", "server host:port")
	tenant := flag.String("tenant", "tenants/acme", "tenant resource name")
	assetID := flag.String("asset", "payroll", "id of the asset to register")
	flag.Parse()

	ctx := context.Background()
	client, err := riskledger.Dial(ctx, riskledger.Options{Address: *address})
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()

	asset, err := client.Assessment.CreateAsset(ctx, &rl.CreateAssetRequest{
		Parent:  *tenant,
		AssetId: *assetID,
		Asset: &rl.Asset{
			DisplayName: "Payroll",
			Owner:       "alice",
			Components:  []*rl.Component{{Name: "database"}},
		},
	})
	if err != nil {
		// A *riskledger.Error names the fields the server refused.
		var e *riskledger.Error
		if errors.As(err, &e) {
			fmt.Fprintln(os.Stderr, e.Code, e.FieldViolations)
		}
		log.Fatal(err)
	}
	risk, err := client.Assessment.CreateRisk(ctx, &rl.CreateRiskRequest{
		Parent: *tenant,
		Risk: &rl.Risk{
			Asset:              asset.GetName(),
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
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	risk, err = client.Assessment.AnalyseRisk(ctx, &rl.AnalyseRiskRequest{
		Name: risk.GetName(), Impact: 4, Likelihood: 3,
		ImpactRationale: "salary data of every employee", LikelihoodRationale: "phishing seen monthly",
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s level %d (%s)\n", risk.GetRiskId(), risk.GetAnalysis().GetLevel(), risk.GetAnalysis().GetBand())
	page, err := client.Assessment.ListRisks(ctx, &rl.ListRisksRequest{Parent: *tenant, PageSize: 10})
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range page.GetRisks() {
		fmt.Printf("%-14s %3d  %s\n", r.GetRiskId(), r.GetAnalysis().GetLevel(), r.GetRiskStatement())
	}
}
