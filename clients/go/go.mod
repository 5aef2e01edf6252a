// For users who build with modules. The generated packages (riskledgerv1,
// eventsv1, statev1) are not committed: generate them into this directory
// first with `clients/go/go_client.sh generate`. The project's own build and tests use
// GOPATH mode against Debian's Go sources (clients/go/go_client.sh).
module riskledger/clients/go

go 1.19

require (
	google.golang.org/genproto v0.0.0-20221024183307-1bc688fe9f3e
	google.golang.org/grpc v1.33.3
	google.golang.org/protobuf v1.28.1
)
