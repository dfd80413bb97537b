using System;

namespace BoxFusion.Fusion
{
    /// <summary>A stretch of consecutive entries of one image in one chunk of an <see cref="EntryLog"/>.</summary>
    internal struct EntryRun
    {
        public EntryRun(int image, int chunk, int offset)
        {
            Image = image;
            Chunk = chunk;
            Offset = offset;
            Count = 0;
        }

#pragma warning disable CA1051 // a plain record of the log, written in its inner loop
        /// <summary>The image: its index in the ensemble, or in a file's list of image ids while the file is read.</summary>
        public int Image;
        public int Chunk, Offset, Count;
#pragma warning restore CA1051
    }

    /// <summary>
    /// Entries in the order they came, in chunks that are never copied while the log grows (large ones are never
    /// moved by the garbage collector either), with the runs of one image they form. A file is read into a log on
    /// its own thread; the ensemble takes the file's chunks as they are and lays its images out once, when asked.
    /// </summary>
    internal sealed class EntryLog
    {
        public const int LargestChunk = 1 << 16;
        private int nextChunkSize;
        private EnsembleEntry[] chunk = Array.Empty<EnsembleEntry>();
        private int used; // entries in the last chunk

        public EntryLog(int firstChunk) => nextChunkSize = firstChunk;

#pragma warning disable CA1051, CA1819 // the ensemble reads the chunks and runs directly when it lays its images out
        public EnsembleEntry[][] Chunks = new EnsembleEntry[4][];
        /// <summary>Per chunk, its entries' masks, or null while none of them has one.</summary>
        public Mask[][] MaskChunks = new Mask[4][];
        public int ChunkCount;
        public EntryRun[] Runs = new EntryRun[16];
        public int RunCount;
#pragma warning restore CA1051, CA1819

        public long Count { get; private set; }
        public long MaskCount { get; private set; }

        /// <summary>The image of the run entries go to now; -1 before the first.</summary>
        public int CurrentImage => RunCount > 0 ? Runs[RunCount - 1].Image : -1;

        /// <summary>Later entries go to <paramref name="image"/> (until the next run).</summary>
        public void StartRun(int image)
        {
            if (used == chunk.Length) NewChunk();
            if (RunCount == Runs.Length) Array.Resize(ref Runs, RunCount * 2);
            Runs[RunCount++] = new EntryRun(image, ChunkCount - 1, used);
        }

        /// <summary>Adds an entry to the current run (<see cref="StartRun"/> first).</summary>
        public void Add(in EnsembleEntry entry, Mask mask)
        {
            if (used == chunk.Length) StartRun(Runs[RunCount - 1].Image); // the run goes on in a new chunk
            chunk[used] = entry;
            if (mask != null)
            {
                (MaskChunks[ChunkCount - 1] ?? (MaskChunks[ChunkCount - 1] = new Mask[chunk.Length]))[used] = mask;
                MaskCount++;
            }
            used++;
            Runs[RunCount - 1].Count++;
            Count++;
        }

        private void NewChunk()
        {
            if (ChunkCount == Chunks.Length)
            {
                Array.Resize(ref Chunks, ChunkCount * 2);
                Array.Resize(ref MaskChunks, ChunkCount * 2);
            }
            chunk = Chunks[ChunkCount++] = new EnsembleEntry[nextChunkSize];
            used = 0;
            nextChunkSize = Math.Min(nextChunkSize * 2, LargestChunk);
        }

        /// <summary>Takes another log's chunks and runs as they are (no entry is copied), its image <c>i</c> becoming <paramref name="images"/>[i].</summary>
        public void Append(EntryLog other, int[] images)
        {
            if (other.RunCount == 0) return;
            int chunks = ChunkCount;
            while (Chunks.Length < ChunkCount + other.ChunkCount)
            {
                Array.Resize(ref Chunks, Chunks.Length * 2);
                Array.Resize(ref MaskChunks, MaskChunks.Length * 2);
            }
            Array.Copy(other.Chunks, 0, Chunks, chunks, other.ChunkCount);
            Array.Copy(other.MaskChunks, 0, MaskChunks, chunks, other.ChunkCount);
            ChunkCount += other.ChunkCount;
            if (Runs.Length < RunCount + other.RunCount) Array.Resize(ref Runs, Math.Max(Runs.Length * 2, RunCount + other.RunCount));
            for (int r = 0; r < other.RunCount; r++)
            {
                var run = other.Runs[r];
                run.Image = images[run.Image];
                run.Chunk += chunks;
                Runs[RunCount++] = run;
            }
            // Later entries go on in the other log's last chunk (this log's last one may keep a few unused places).
            chunk = other.chunk;
            used = other.used;
            nextChunkSize = Math.Max(nextChunkSize, other.nextChunkSize);
            Count += other.Count;
            MaskCount += other.MaskCount;
        }

        /// <summary>Rewrites the model of every entry (a file read before its model's index was known for sure).</summary>
        public void SetModel(int model)
        {
            for (int c = 0; c < ChunkCount; c++)
            {
                var entries = Chunks[c];
                for (int i = 0; i < entries.Length; i++)
                {
                    var e = entries[i];
                    entries[i] = new EnsembleEntry(e.CategoryId, e.Score, e.X, e.Y, e.Width, e.Height, model);
                }
            }
        }

        /// <summary>Lets go of every chunk and run (their entries have been laid out elsewhere).</summary>
        public void Clear()
        {
            Array.Clear(Chunks, 0, ChunkCount);
            Array.Clear(MaskChunks, 0, ChunkCount);
            ChunkCount = 0;
            RunCount = 0;
            chunk = Array.Empty<EnsembleEntry>();
            used = 0;
            Count = 0;
            MaskCount = 0;
        }
    }
}
