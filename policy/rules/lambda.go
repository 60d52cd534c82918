package rules

import "fmt"

const typeLambda = "aws:lambda/function:Function"

// lambdaRules are the checks of the stack's Lambda functions.
func lambdaRules() []Rule {
	return []Rule{
		{
			Name: "lambda-active-tracing", Control: "scanner finding (X-Ray)", Level: Advisory,
			Description: "Lambda functions run with X-Ray active tracing (tracingConfig.mode Active).",
			Why:         "Not an FSBP control, but the traces show where a slow or failed bootstrap or rotation spent its time, for little cost.",
			Check:       only(checkLambdaTracing, typeLambda),
		},
	}
}

func checkLambdaTracing(_ Context, r Resource) []string {
	mode, _ := r.get("tracingConfig.mode")
	if mode == "Active" || isUnknown(mode) {
		return nil
	}
	return []string{fmt.Sprintf("tracingConfig.mode is %s; use \"Active\"", show(mode))}
}
