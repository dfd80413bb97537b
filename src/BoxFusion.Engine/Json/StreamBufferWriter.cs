using System;
using System.Buffers;
using System.IO;

namespace BoxFusion.Json
{
    /// <summary>An IBufferWriter over a stream: Utf8JsonWriter fills one big buffer, which goes to the stream when full.</summary>
    internal sealed class StreamBufferWriter : IBufferWriter<byte>
    {
        private readonly Stream stream;
        private byte[] buffer;
        private int used;

        public StreamBufferWriter(Stream stream, int size = 1 << 20)
        {
            this.stream = stream;
            buffer = new byte[size];
        }

        public void Advance(int count) => used += count;

        public Memory<byte> GetMemory(int sizeHint = 0) => new Memory<byte>(buffer, Reserve(sizeHint), buffer.Length - used);

        public Span<byte> GetSpan(int sizeHint = 0) => new Span<byte>(buffer, Reserve(sizeHint), buffer.Length - used);

        public void WriteAscii(string text)
        {
            int at = Reserve(text.Length);
            for (int i = 0; i < text.Length; i++) buffer[at + i] = (byte)text[i];
            used += text.Length;
        }

        private int Reserve(int sizeHint)
        {
            if (sizeHint < 256) sizeHint = 256;
            if (buffer.Length - used < sizeHint)
            {
                Flush();
                if (buffer.Length < sizeHint) buffer = new byte[sizeHint];
            }
            return used;
        }

        public void Flush()
        {
            if (used == 0) return;
            stream.Write(buffer, 0, used);
            used = 0;
        }
    }
}
