// alloy-syntax checks Alloy configuration files with Alloy's own parser (github.com/grafana/alloy/syntax, Apache-2.0,
// no Loki code), the parser `alloy run` and `alloy validate` start with. Syntax only: component names, arguments and
// references are not checked (that needs the alloy binary, which links AGPL Loki packages; docs/decisions.md).
//
//	alloy-syntax FILE...   exit 0 if every file parses; else the parser's diagnostics (file:line:col) and exit 1
package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/grafana/alloy/syntax/diag"
	"github.com/grafana/alloy/syntax/parser"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: alloy-syntax FILE...")
		os.Exit(2)
	}
	failed := false
	for _, name := range os.Args[1:] {
		src, err := os.ReadFile(name)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		if _, err := parser.ParseFile(name, src); err != nil {
			failed = true
			var diags diag.Diagnostics
			if errors.As(err, &diags) {
				for _, d := range diags {
					fmt.Fprintln(os.Stderr, d.Error())
				}
			} else {
				fmt.Fprintln(os.Stderr, err)
			}
		}
	}
	if failed {
		os.Exit(1)
	}
}
