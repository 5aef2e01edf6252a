package dev.riskledger.example;

import dev.riskledger.client.ClientOptions;
import dev.riskledger.client.RiskledgerClient;
import dev.riskledger.client.RiskledgerError;
import dev.riskledger.v1.AnalyseRiskRequest;
import dev.riskledger.v1.Asset;
import dev.riskledger.v1.Component;
import dev.riskledger.v1.CreateAssetRequest;
import dev.riskledger.v1.CreateRiskRequest;
import dev.riskledger.v1.ListRisksRequest;
import dev.riskledger.v1.Risk;
import dev.riskledger.v1.RiskSource;
import dev.riskledger.v1.SecurityProperty;
import dev.riskledger.v1.Threat;
import io.grpc.StatusRuntimeException;

/**
 * A first call with the Java client: registers an asset, identifies a risk on
 * it, analyses the risk and lists the tenant's register in priority order.
 *
 * <pre>
 * java -cp "$(clients/java/java_client.sh classpath):WORK/riskledger-client.jar:WORK/test-classes" \
 *     dev.riskledger.example.FirstCall 127.0.0.1:50051 tenants/acme payroll
 * </pre>
 */
public final class FirstCall {
  private FirstCall() {}

  public static void main(String[] args) throws Exception {
    String address = args.length > 0 ? args[0] : "127.0.0.1:50051";
    String tenant = args.length > 1 ? args[1] : "tenants/acme";
    String assetId = args.length > 2 ? args[2] : "payroll";
    try (RiskledgerClient client =
        RiskledgerClient.connect(ClientOptions.newBuilder(address).build())) {
      Asset asset =
          client
              .assessment()
              .createAsset(
                  CreateAssetRequest.newBuilder()
                      .setParent(tenant)
                      .setAssetId(assetId)
                      .setAsset(
                          Asset.newBuilder()
                              .setDisplayName("Payroll")
                              .setOwner("alice")
                              .addComponents(Component.newBuilder().setName("database")))
                      .build());
      Risk risk =
          client
              .assessment()
              .createRisk(
                  CreateRiskRequest.newBuilder()
                      .setParent(tenant)
                      .setRisk(
                          Risk.newBuilder()
                              .setAsset(asset.getName())
                              .setComponent("database")
                              .setVulnerability("passwords without a second factor")
                              .setThreat(
                                  Threat.newBuilder()
                                      .setActor("external attacker")
                                      .setAttackMethod("phishing"))
                              .setRiskFactor("weak authentication")
                              .setRiskEvent("account takeover")
                              .setLoss("disclosure of salary data")
                              .addAffectedProperties(
                                  SecurityProperty.SECURITY_PROPERTY_CONFIDENTIALITY)
                              .setImpactDescription("salaries become public")
                              .setOwner("alice")
                              .setSource(RiskSource.RISK_SOURCE_INTERNAL))
                      .build());
      risk =
          client
              .assessment()
              .analyseRisk(
                  AnalyseRiskRequest.newBuilder()
                      .setName(risk.getName())
                      .setImpact(4)
                      .setLikelihood(3)
                      .setImpactRationale("salary data of every employee")
                      .setLikelihoodRationale("phishing seen monthly")
                      .build());
      System.out.printf(
          "%s level %d (%s)%n",
          risk.getRiskId(), risk.getAnalysis().getLevel(), risk.getAnalysis().getBand());
      for (Risk r :
          client
              .assessment()
              .listRisks(ListRisksRequest.newBuilder().setParent(tenant).setPageSize(10).build())
              .getRisksList()) {
        System.out.printf("%s  %s%n", r.getRiskId(), r.getRiskEvent());
      }
    } catch (StatusRuntimeException e) {
      // The decoded error names the fields the server refused.
      System.err.println(RiskledgerError.from(e).map(Object::toString).orElse(e.toString()));
      System.exit(1);
    }
  }
}
