// Computes the request digest of the storage/EVENT_FORMAT.md test vector with
// the Java classes protoc generates from the public contract and the Java
// protobuf runtime's own encoder: the digest must be reproducible from Java.
import dev.riskledger.v1.AnalyseRiskRequest;
import dev.riskledger.v1.InformationSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

public final class RequestDigest {
  public static void main(String[] args) throws Exception {
    AnalyseRiskRequest request =
        AnalyseRiskRequest.newBuilder()
            .setName("tenants/acme/risks/R-2026-0001")
            .setImpact(4)
            .setLikelihood(3)
            .setImpactRationale("payroll data")
            .setLikelihoodRationale("seen twice")
            .addInformationSources(InformationSource.INFORMATION_SOURCE_INCIDENT_STATISTICS)
            .addInformationSources(InformationSource.INFORMATION_SOURCE_EXPERT_ASSESSMENT)
            .setEtag("2")
            .setRequestId("req-1")
            .build();
    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
    sha256.update(
        "/riskledger.v1.AssessmentService/AnalyseRisk\n".getBytes(StandardCharsets.UTF_8));
    sha256.update(request.toByteArray());
    StringBuilder hex = new StringBuilder();
    for (byte b : sha256.digest()) hex.append(String.format("%02x", b));
    System.out.println(hex);
  }
}
