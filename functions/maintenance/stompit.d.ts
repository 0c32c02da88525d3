/** The part of `stompit` (which ships no types) the broker probes use. */
declare module "stompit" {
  export interface Message {
    headers: Record<string, string>;
    readString(encoding: "utf-8", callback: (error: Error | null, body?: string) => void): void;
  }
  export interface Frame {
    write(body: string): void;
    end(): void;
  }
  export interface Client {
    send(headers: Record<string, string>, options?: { onReceipt?: () => void }): Frame;
    subscribe(
      headers: Record<string, string>,
      listener: (error: Error | null, message: Message) => void,
    ): { unsubscribe(): void };
    ack(message: Message): void;
    disconnect(callback?: (error: Error | null) => void): void;
    destroy(error?: Error): void;
    on(event: "error", listener: (error: Error) => void): void;
  }
  export interface ConnectOptions {
    host: string;
    port: number;
    ssl?: boolean;
    timeout: number;
    connectHeaders: Record<string, string>;
  }
  const stompit: {
    connect(options: ConnectOptions, callback: (error: Error | null, client: Client) => void): Client;
  };
  export default stompit;
}
