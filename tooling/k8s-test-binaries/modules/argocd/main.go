// Command argocd is a slim Argo CD multicall binary for the containerless test control plane: only the two
// components a sync needs, chosen by the name it runs under (argv[0], or ARGOCD_BINARY_NAME) as upstream's
// cmd/main.go does, and of the CLI only `argocd admin redis-initial-password` (what the init container of upstream's
// redis pod runs to create the Secret argocd-redis; build.sh compiles that command from a package of its one upstream
// file, not from all of package admin). Leaving out the rest of the CLI, the API server, Dex, ApplicationSet and
// notifications makes it build faster.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
	"k8s.io/klog/v2"

	appcontroller "github.com/argoproj/argo-cd/v3/cmd/argocd-application-controller/commands"
	reposerver "github.com/argoproj/argo-cd/v3/cmd/argocd-repo-server/commands"
	"github.com/argoproj/argo-cd/v3/cmd/argocd/commands/admin"
	"github.com/argoproj/argo-cd/v3/common"
	"github.com/argoproj/argo-cd/v3/util/grpc"
	"github.com/argoproj/argo-cd/v3/util/log"

	// grpclb's init turns grpc's DNS SRV lookups on, which grpc.DisableSRVLookups checks before turning them off
	// (it panics otherwise). The full upstream binary links grpclb through a command left out here.
	_ "google.golang.org/grpc/balancer/grpclb"
)

func main() {
	klog.SetLogger(log.NewLogrusLogger(log.NewWithCurrentConfig()))
	grpc.DisableSRVLookups()

	name := filepath.Base(os.Args[0])
	if v := os.Getenv("ARGOCD_BINARY_NAME"); v != "" {
		name = v
	}
	var command *cobra.Command
	switch name {
	case common.CommandApplicationController:
		command = appcontroller.NewCommand()
	case common.CommandRepoServer:
		command = reposerver.NewCommand()
	case common.CommandCLI:
		adminCommand := &cobra.Command{Use: "admin"}
		adminCommand.AddCommand(admin.NewRedisInitialPasswordCommand())
		command = &cobra.Command{Use: common.CommandCLI}
		command.AddCommand(adminCommand)
	default:
		fmt.Fprintf(os.Stderr, "%s: run as %s, %s or %s (a link to this binary, or ARGOCD_BINARY_NAME)\n",
			name, common.CommandApplicationController, common.CommandRepoServer, common.CommandCLI)
		os.Exit(2)
	}
	if err := command.Execute(); err != nil {
		os.Exit(1)
	}
}
