using System;
using System.Buffers;
using System.Buffers.Text;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Threading.Tasks;

namespace BoxFusion.Json
{
    /// <summary>
    /// Writes detections as a COCO results list ({image_id, category_id, bbox: [x, y, w, h], score}, and a
    /// segmentation for detections with a mask), one record
    /// per line, numbers in shortest round-trip form, image ids keeping their JSON type. Records are formatted
    /// in batches on worker threads and written in the order given, so the output is the same whatever the cores.
    /// </summary>
    public sealed partial class CocoResultWriter : IDisposable
    {
        private const int BatchSize = 4096;
        private readonly Stream stream;
        private readonly Queue<Task<ArraySegment<byte>>> pending = new Queue<Task<ArraySegment<byte>>>();
        private readonly int maxPending = Math.Max(2, Environment.ProcessorCount * 2);
        private Detection[] batch = new Detection[BatchSize];
        private int batchCount;
        private bool closed;

        private readonly int decimals = -1;

        public CocoResultWriter(Stream stream)
        {
            this.stream = stream ?? throw new ArgumentNullException(nameof(stream));
            WriteAscii("[");
        }

        /// <summary>Writes boxes and scores rounded to <paramref name="decimals"/> decimals (0 to 15; see <see cref="Round"/>).</summary>
        public CocoResultWriter(Stream stream, int decimals) : this(stream)
        {
            if (decimals < 0 || decimals > 15) throw new ArgumentOutOfRangeException(nameof(decimals), "0 to 15 decimals.");
            this.decimals = decimals;
        }

        /// <summary>
        /// The double a value reads back as once written with <paramref name="decimals"/> decimals (negative: unchanged):
        /// its exact binary value rounded half away from zero (see <see cref="RoundedNumber"/>); never -0.
        /// </summary>
        public static double Round(double value, int decimals) => decimals < 0 ? value : RoundedNumber.Round(value, decimals);

        public long Count { get; private set; }

        /// <summary>Queues one record; refuses what would make an invalid submission (no id, non-finite numbers).</summary>
        public void Write(Detection d)
        {
            if (d.ImageId == null) throw new ArgumentException("A detection without an image id cannot be written.");
            if (!Numbers.IsFinite(d.Score) || !Numbers.IsFinite(d.X) || !Numbers.IsFinite(d.Y) || !Numbers.IsFinite(d.Width) || !Numbers.IsFinite(d.Height))
                throw new ArgumentException("A detection with a non-finite score or box cannot be written: " + d);
            batch[batchCount++] = d;
            if (batchCount == BatchSize) Submit();
        }

        /// <summary>Formats the current batch on a worker; writes finished batches when enough are queued.</summary>
        private void Submit()
        {
            if (batchCount == 0) return;
            var records = batch;
            int count = batchCount;
            bool first = Count == 0;
            Count += count;
            batch = new Detection[BatchSize];
            batchCount = 0;
            int places = decimals;
            pending.Enqueue(Task.Run(() => Format(records, count, first, places)));
            while (pending.Count >= maxPending) WriteOldest();
        }

        private void WriteOldest()
        {
            var bytes = pending.Dequeue().GetAwaiter().GetResult();
            stream.Write(bytes.Array, bytes.Offset, bytes.Count);
            ArrayPool<byte>.Shared.Return(bytes.Array);
        }

        /// <summary>Closes the list and flushes; call before the file is renamed into place.</summary>
        public void Complete()
        {
            if (closed) return;
            Submit();
            while (pending.Count > 0) WriteOldest();
            closed = true;
            WriteAscii(Count > 0 ? "\n]\n" : "]\n");
            stream.Flush();
        }

        private void WriteAscii(string text)
        {
            var bytes = System.Text.Encoding.ASCII.GetBytes(text);
            stream.Write(bytes, 0, bytes.Length);
        }

        private static ArraySegment<byte> Format(Detection[] records, int count, bool first, int decimals)
        {
            // Pooled: a new megabyte per batch would be a large-object allocation, and the collections it causes walk
            // the whole heap (all the detections), which cost more than the formatting.
            var buffer = ArrayPool<byte>.Shared.Rent(count * 160 + 1024);
            int p = 0;
            for (int i = 0; i < count; i++)
            {
                if (buffer.Length - p < 512) Grow(ref buffer, p, buffer.Length * 2L);
                if (i > 0 || !first) buffer[p++] = (byte)',';
                buffer[p++] = (byte)'\n';
                p = FormatRecord(records[i], ref buffer, p, decimals);
            }
            return new ArraySegment<byte>(buffer, 0, p);
        }

        /// <summary>A larger pooled buffer holding the first <paramref name="used"/> bytes of b; b goes back to the pool.</summary>
        private static void Grow(ref byte[] b, int used, long size)
        {
            var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(size, int.MaxValue - 64));
            Buffer.BlockCopy(b, 0, larger, 0, used);
            ArrayPool<byte>.Shared.Return(b);
            b = larger;
        }

        private static int FormatRecord(Detection d, ref byte[] b, int p, int decimals)
        {
            p = Ascii(b, p, ImageIdKey);
            if (d.ImageId is string s)
            {
                var encoded = JsonEncodedText.Encode(s).EncodedUtf8Bytes;
                if (b.Length - p < encoded.Length + 400) Grow(ref b, p, b.Length + encoded.Length + 4096L);
                b[p++] = (byte)'"';
                encoded.CopyTo(new Span<byte>(b, p, encoded.Length));
                p += encoded.Length;
                b[p++] = (byte)'"';
            }
            else p = Number(b, p, (long)d.ImageId);
            p = Ascii(b, p, CategoryIdKey);
            p = Number(b, p, d.CategoryId);
            p = Ascii(b, p, BoxKey);
            p = Number(b, p, d.X, decimals);
            b[p++] = (byte)',';
            p = Number(b, p, d.Y, decimals);
            b[p++] = (byte)',';
            p = Number(b, p, d.Width, decimals);
            b[p++] = (byte)',';
            p = Number(b, p, d.Height, decimals);
            p = Ascii(b, p, ScoreKey);
            p = Number(b, p, d.Score, decimals);
            if (d.Mask != null) p = FormatMask(d.Mask, ref b, p);
            b[p++] = (byte)'}';
            return p;
        }

        private static readonly byte[] ImageIdKey = Bytes("{\"image_id\":"), CategoryIdKey = Bytes(",\"category_id\":"),
            BoxKey = Bytes(",\"bbox\":["), ScoreKey = Bytes("],\"score\":");

        private static byte[] Bytes(string text) => System.Text.Encoding.ASCII.GetBytes(text);

        private static int Ascii(byte[] b, int p, byte[] text)
        {
            for (int i = 0; i < text.Length; i++) b[p + i] = text[i];
            return p + text.Length;
        }

        private static int Ascii(byte[] b, int p, string text)
        {
            for (int i = 0; i < text.Length; i++) b[p + i] = (byte)text[i];
            return p + text.Length;
        }

        private static int Number(byte[] b, int p, long value)
        {
            if (value >= 0) return ShortestNumber.WritePlain(b, p, (ulong)value, 0);
            Utf8Formatter.TryFormat(value, new Span<byte>(b, p, 24), out int n);
            return p + n;
        }

        /// <summary>Text that reads back as exactly the same double (<see cref="ShortestNumber"/>).</summary>
        internal static int Number(byte[] b, int p, double value) => ShortestNumber.Write(b, p, value);

        private static int Number(byte[] b, int p, double value, int decimals) =>
            decimals < 0 ? ShortestNumber.Write(b, p, value) : RoundedNumber.Write(b, p, value, decimals);

        public void Dispose()
        {
            // Nothing to release; an incomplete writer simply leaves its stream unfinished (the caller discards it).
            while (pending.Count > 0)
            {
                try { pending.Dequeue().Wait(); } catch (AggregateException) { }
            }
        }
    }
}
