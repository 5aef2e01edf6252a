// What the response digest costs per command: the canonical encoding of a
// typical answer (a Risk with its analysis), protobuf's own serialization of
// it for comparison, and the digest over the encoding.
#include <string>

#include "benchmark/benchmark.h"
#include "riskledger/v1/assessment_service.pb.h"
#include "services/common/canonical_encoding.h"
#include "storage/event_codec.h"

namespace riskledger {
namespace {

v1::Risk AnalysedRisk() {
  v1::Risk risk;
  risk.set_name("tenants/bench/risks/R-000042");
  risk.set_risk_id("R-000042");
  risk.set_asset("tenants/bench/assets/hr-db");
  risk.set_vulnerability("weak passwords");
  risk.mutable_threat()->set_actor("external attacker");
  risk.set_risk_factor("credential stuffing");
  risk.set_risk_event("account takeover");
  risk.set_loss("disclosure of salaries");
  risk.set_risk_statement(
      "An external attacker exploits weak passwords through credential "
      "stuffing, causing account takeover and disclosure of salaries.");
  risk.add_affected_properties(v1::SECURITY_PROPERTY_CONFIDENTIALITY);
  risk.add_affected_properties(v1::SECURITY_PROPERTY_INTEGRITY);
  risk.set_owner("alice");
  risk.add_existing_controls("password policy");
  risk.set_source(v1::RISK_SOURCE_INTERNAL);
  v1::RiskAnalysis& analysis = *risk.mutable_analysis();
  analysis.set_impact(4);
  analysis.set_likelihood(3);
  analysis.set_impact_rationale("salary data of all staff");
  analysis.set_likelihood_rationale("two incidents at peers last year");
  risk.mutable_create_time()->set_seconds(1772359200);
  risk.mutable_update_time()->set_seconds(1772359260);
  risk.set_etag("\"v7\"");
  return risk;
}

void BM_CanonicalEncoding(benchmark::State& state) {
  const v1::Risk risk = AnalysedRisk();
  for (auto _ : state) benchmark::DoNotOptimize(CanonicalEncoding(risk));
}
BENCHMARK(BM_CanonicalEncoding);

void BM_SerializeAsString(benchmark::State& state) {
  const v1::Risk risk = AnalysedRisk();
  for (auto _ : state) benchmark::DoNotOptimize(risk.SerializeAsString());
}
BENCHMARK(BM_SerializeAsString);

void BM_ResponseDigest(benchmark::State& state) {
  const std::string encoded = CanonicalEncoding(AnalysedRisk());
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        storage::ResponseDigest("/riskledger.v1.AssessmentService/AnalyseRisk",
                                encoded));
  }
}
BENCHMARK(BM_ResponseDigest);

}  // namespace
}  // namespace riskledger

BENCHMARK_MAIN();
