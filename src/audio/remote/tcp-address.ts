export interface TcpAddress {
  host: string;
  port: number;
}

/** Reads `tcp://host:port` or `tcp-raw://host:port` (IPv6 hosts in brackets); undefined for other schemes. */
export function parseTcpMode(mode: string): { raw: boolean; address: TcpAddress } | undefined {
  const match = /^(tcp|tcp-raw):\/\/(\[[^\]]+\]|[^:/]+):(\d+)\/?$/.exec(mode);
  if (!match) return undefined;
  const port = Number(match[3]);
  if (port < 1 || port > 65535) return undefined;
  return { raw: match[1] === 'tcp-raw', address: { host: match[2].replace(/^\[|\]$/g, ''), port } };
}

export const formatAddress = ({ host, port }: TcpAddress) => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);
