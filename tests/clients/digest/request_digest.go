// Computes the request digest of the storage/EVENT_FORMAT.md test vector with
// the Go code protoc-gen-go generates from the public contract and Go's
// protobuf encoder: the digest must be reproducible from Go.
package main

import (
	"crypto/sha256"
	"fmt"

	"google.golang.org/protobuf/proto"
	riskledgerv1 "riskledger/clients/go/riskledgerv1"
)

func main() {
	request := &riskledgerv1.AnalyseRiskRequest{
		Name:                "tenants/acme/risks/R-2026-0001",
		Impact:              4,
		Likelihood:          3,
		ImpactRationale:     "payroll data",
		LikelihoodRationale: "seen twice",
		InformationSources: []riskledgerv1.InformationSource{
			riskledgerv1.InformationSource_INFORMATION_SOURCE_INCIDENT_STATISTICS,
			riskledgerv1.InformationSource_INFORMATION_SOURCE_EXPERT_ASSESSMENT,
		},
		Etag:      "2",
		RequestId: "req-1",
	}
	bytes, err := proto.MarshalOptions{Deterministic: true}.Marshal(request)
	if err != nil {
		panic(err)
	}
	sum := sha256.Sum256(append([]byte("/riskledger.v1.AssessmentService/AnalyseRisk\n"), bytes...))
	fmt.Printf("%x\n", sum)
}
