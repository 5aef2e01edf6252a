package riskledger

import (
	"fmt"
	"strings"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Error is a call that failed with a gRPC status, with the details the
// server attached decoded. Get it with errors.As:
//
//	var e *riskledger.Error
//	if errors.As(err, &e) && e.Code == codes.InvalidArgument {
//		for _, v := range e.FieldViolations { ... }
//	}
type Error struct {
	Code    codes.Code
	Message string
	// FieldViolations of a google.rpc.BadRequest detail: which request field
	// is wrong and why.
	FieldViolations []FieldViolation
	// Reason, Domain and Metadata of a google.rpc.ErrorInfo detail (empty
	// when there is none).
	Reason   string
	Domain   string
	Metadata map[string]string

	status *status.Status
}

// FieldViolation names a request field (a path such as "risk.impact") and
// what is wrong with it.
type FieldViolation struct {
	Field       string
	Description string
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "riskledger: %s: %s", e.Code, e.Message)
	for _, v := range e.FieldViolations {
		fmt.Fprintf(&b, "; %s: %s", v.Field, v.Description)
	}
	return b.String()
}

// GRPCStatus lets status.FromError and status.Code see the original status.
func (e *Error) GRPCStatus() *status.Status { return e.status }

// Violation is the description of the violation of `field`, and whether
// there is one.
func (e *Error) Violation(field string) (string, bool) {
	for _, v := range e.FieldViolations {
		if v.Field == field {
			return v.Description, true
		}
	}
	return "", false
}

// newError decodes a call's error; an error that is not a gRPC status (it
// did not come from a call) is returned as it is.
func newError(err error) error {
	st, ok := status.FromError(err)
	if !ok {
		return err
	}
	e := &Error{Code: st.Code(), Message: st.Message(), status: st}
	for _, detail := range st.Details() {
		switch d := detail.(type) {
		case *errdetails.BadRequest:
			for _, v := range d.GetFieldViolations() {
				e.FieldViolations = append(e.FieldViolations,
					FieldViolation{Field: v.GetField(), Description: v.GetDescription()})
			}
		case *errdetails.ErrorInfo:
			e.Reason, e.Domain, e.Metadata = d.GetReason(), d.GetDomain(), d.GetMetadata()
		}
	}
	return e
}
