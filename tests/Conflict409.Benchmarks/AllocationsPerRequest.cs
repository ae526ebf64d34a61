using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Unicode;

namespace Conflict409.Benchmarks;

/// <summary>
/// Bytes the server allocates per new registration (POST /register, 201), counted in-process: the real server
/// (Kestrel, every middleware and filter, the grader) runs here on a loopback port, and a client that allocates
/// nothing per request (one socket, its buffers reused) sends new names one after another over one keep-alive
/// connection. The process's allocation count over N requests, divided by N, is the server's. The CPU time beside it
/// includes the client's and the machine's mood: it is a hint, not a measurement (tests/load/costs.sh measures CPU).
/// </summary>
internal static class AllocationsPerRequest
{
    public static void Measure(int count, int port)
    {
        var server = new Thread(() => RunServer(port)) { IsBackground = true, Name = "server" };
        server.Start();
        using var socket = Connect(port);
        var client = new Client(socket);
        client.Register(count, "warm"); // the JIT's tiers and every lazily built part of the pipeline

        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        client.Register(count, "measured");
        clock.Stop();
        var cpuUsed = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        var bytes = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{count} new registrations on one connection: {bytes / (double)count:F0} bytes allocated per request " +
            $"(whole process, client included: {cpuUsed.TotalMicroseconds / count:F1} µs CPU and " +
            $"{clock.Elapsed.TotalMicroseconds / count:F1} µs wall per request, a hint only)"));
    }

    private static void RunServer(int port)
    {
        // As tests/load/lib.sh starts a measured server; the content root is the API's output beside this one.
        string[] args =
        [
            "--contentRoot", AppContext.BaseDirectory, "--applicationName", "Conflict409.Api", "--urls", $"http://127.0.0.1:{port}",
            "--Logging:LogLevel:Default=Warning", "--Users:Capacity=4000000",
            "--Fairness:Registrations:PermitLimit=10000000", "--Fairness:ConnectionsPerClient=10000",
        ];
        typeof(Conflict409.Api.Users.User).Assembly.EntryPoint!.Invoke(null, [args]);
    }

    private static Socket Connect(int port)
    {
        for (var attempt = 0; ; attempt++)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Connect(IPAddress.Loopback, port);
                return socket;
            }
            catch (SocketException) when (attempt < 600)
            {
                socket.Dispose();
                Thread.Sleep(100);
            }
        }
    }

    /// <summary>Sends registrations and reads their answers with buffers made once.</summary>
    private sealed class Client(Socket socket)
    {
        private readonly byte[] _request = new byte[512];
        private readonly byte[] _body = new byte[256];
        private readonly byte[] _response = new byte[8192];

        public void Register(int count, string prefix)
        {
            var head = Encoding.ASCII.GetBytes("POST /register HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ");
            head.CopyTo(_request, 0);
            var run = $"{prefix}{Environment.TickCount64 % 100_000}";
            for (var i = 0; i < count; i++)
            {
                // Written as UTF-8 straight into the buffers: the client allocates nothing that would count as the server's.
                Utf8.TryWrite(_body, CultureInfo.InvariantCulture, $"{{\"username\":\"{run}_{i}\"}}", out var bodyLength);
                Utf8.TryWrite(_request.AsSpan(head.Length), CultureInfo.InvariantCulture, $"{bodyLength}\r\n\r\n", out var written);
                var length = head.Length + written;
                _body.AsSpan(0, bodyLength).CopyTo(_request.AsSpan(length));
                length += bodyLength;
                socket.Send(_request.AsSpan(0, length));
                var status = ReadResponse();
                if (status != 201)
                {
                    throw new InvalidOperationException($"POST /register answered {status}, not 201.");
                }
            }
        }

        /// <summary>Reads one response whole (headers, then Content-Length bytes or chunks) and returns its status.</summary>
        private int ReadResponse()
        {
            var read = 0;
            int end;
            while ((end = _response.AsSpan(0, read).IndexOf("\r\n\r\n"u8)) < 0)
            {
                read += Receive(read);
            }

            var headers = _response.AsSpan(0, end);
            var status = int.Parse(headers.Slice(9, 3), CultureInfo.InvariantCulture);
            var at = headers.IndexOf("Content-Length: "u8);
            var contentLength = 0;
            if (at >= 0)
            {
                var value = headers[(at + 16)..];
                var stop = value.IndexOf("\r\n"u8);
                contentLength = int.Parse(stop < 0 ? value : value[..stop], CultureInfo.InvariantCulture);
            }

            else
            {
                // JSON is written chunked: the body ends with the last chunk, of size 0.
                while (!_response.AsSpan(end, read - end).EndsWith("\r\n0\r\n\r\n"u8))
                {
                    read += Receive(read);
                }
            }

            while (read < end + 4 + contentLength)
            {
                read += Receive(read);
            }

            return status;
        }

        private int Receive(int offset)
        {
            var received = socket.Receive(_response.AsSpan(offset));
            return received > 0 ? received : throw new InvalidOperationException("The server closed the connection.");
        }
    }
}
