using System;
using System.IO;
using System.Threading;

namespace BoxFusion.Coco
{
    /// <summary>
    /// A read-only view of a stream that stops with <see cref="OperationCanceledException"/> at the next read once
    /// its token is cancelled, so a long parse (a ground truth of a million boxes) ends promptly on Ctrl+C.
    /// </summary>
    internal sealed class CancellableReadStream : Stream
    {
        private readonly Stream inner;
        private readonly CancellationToken cancel;

        public CancellableReadStream(Stream inner, CancellationToken cancel)
        {
            this.inner = inner ?? throw new ArgumentNullException(nameof(inner));
            this.cancel = cancel;
        }

        public override bool CanRead => true;
        public override bool CanSeek => inner.CanSeek;
        public override bool CanWrite => false;
        public override long Length => inner.Length;

        public override long Position
        {
            get => inner.Position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            cancel.ThrowIfCancellationRequested();
            return inner.Read(buffer, offset, count);
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
