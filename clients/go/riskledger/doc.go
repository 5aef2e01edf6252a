// Package riskledger is the Go client of the riskledger API: a connection to
// the server with the behaviour every caller needs, on top of the generated
// stubs of package riskledgerv1.
//
//   - Dial accepts TLS credentials and a bearer token; plain text is allowed
//     to loopback addresses only, as the server listens in plain text only
//     there.
//   - Every call of every service gets a default deadline when its context
//     has none: DefaultTimeout (30 s) for a unary call, StreamTimeout
//     (10 min) for a streaming one (an evidence export; give a longer one
//     a deadline of its own, and cancel the context of a stream abandoned
//     before its end).
//   - A mutation (a request with a request_id field) is given a fresh
//     request_id when it has none, before its first attempt, so that a retry
//     is answered from the server's record instead of being applied twice.
//   - UNAVAILABLE is retried with exponential backoff and jitter, for reads
//     and for mutations with a request_id; ABORTED is retried only when the
//     request carries no etag (with an etag, ABORTED means the resource
//     changed and the caller must read it again). Streams are not retried.
//   - Errors of unary and streaming calls are *Error values (errors.As)
//     carrying the status code and the google.rpc.BadRequest field
//     violations and google.rpc.ErrorInfo the server attached.
//
// The behaviour lives in gRPC interceptors (unary and stream), so every
// service in the API, present or added later, gets it through Conn without
// changes here.
package riskledger
