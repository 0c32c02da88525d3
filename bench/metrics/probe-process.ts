import { RoundTripProbe } from "./round-trip.js";

/**
 * The round-trip probe in its own process (forked by main.ts), so that what it measures is the
 * broker's latency and not the benchmark process's event loop, which the collector shares.
 * Protocol over IPC: {connect} → "ready"; {trips} → the times in ms; the parent disconnects to end it.
 */

interface ConnectCommand {
  kind: "connect";
  port: number;
  credentials: { username: string; password: string };
  queue: string;
}

interface TripsCommand {
  kind: "trips";
  count: number;
  gapMs: number;
}

let probe: RoundTripProbe | undefined;

process.on("message", (command: ConnectCommand | TripsCommand) => {
  void (async () => {
    try {
      if (command.kind === "connect") {
        probe = await RoundTripProbe.connect(command.port, command.credentials, command.queue);
        process.send?.({ kind: "ready" });
        return;
      }
      if (probe === undefined) throw new Error("not connected");
      const times: number[] = [];
      for (let trip = 0; trip < command.count; trip++) {
        times.push(await probe.once());
        await new Promise((resolve) => setTimeout(resolve, command.gapMs));
      }
      process.send?.({ kind: "times", times });
    } catch (error) {
      process.send?.({ kind: "error", message: (error as Error).message });
    }
  })();
});

process.on("disconnect", () => {
  probe?.close();
  process.exit(0);
});
