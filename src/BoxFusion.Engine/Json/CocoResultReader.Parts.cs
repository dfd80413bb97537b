using System.IO;

namespace BoxFusion.Json
{
    // Reading one large file as parts on several threads (ParallelFileReading): a part starts at a guessed record start
    // and is trusted only once the reader of the part before it, itself trusted, ends a record exactly at that guess.
    public sealed partial class CocoResultReader
    {
        private long[] partEnds;
        private int nextPartEnd;

        /// <summary>
        /// A reader of the records from byte <paramref name="offset"/> on, which must be where a record starts inside the
        /// file's list (a guess: see <see cref="StopAtRecordEnds"/>). Positions are the file's; records are counted from 0.
        /// </summary>
        internal static CocoResultReader OpenPart(string path, string model, long offset)
        {
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            try
            {
                stream.Seek(offset, SeekOrigin.Begin);
                var reader = new CocoResultReader(stream, path, model, ownsStream: true);
                reader.bufferOffset = offset;
                reader.begun = true;
                return reader;
            }
            catch
            {
                stream.Dispose();
                throw;
            }
        }

        /// <summary>
        /// Stops after the record that ends exactly at one of <paramref name="ends"/> (ascending byte positions just past a
        /// record's '}', where later parts are guessed to begin); <see cref="PartEndReached"/> then says which. A record
        /// that ends beyond a guess proves that guess wrong; the reader goes on to the next one, or to the end of the list.
        /// </summary>
        internal void StopAtRecordEnds(long[] ends)
        {
            partEnds = ends != null && ends.Length > 0 ? ends : null;
            nextPartEnd = 0;
        }

        /// <summary>The index in the ends given to <see cref="StopAtRecordEnds"/> of the one this reader stopped at; -1 if none.</summary>
        internal int PartEndReached { get; private set; } = -1;

        private void CheckPartEnd()
        {
            long at = Position;
            while (nextPartEnd < partEnds.Length && partEnds[nextPartEnd] < at) nextPartEnd++;
            if (nextPartEnd == partEnds.Length)
            {
                partEnds = null;
            }
            else if (partEnds[nextPartEnd] == at)
            {
                PartEndReached = nextPartEnd;
                finished = true;
            }
        }

        /// <summary>
        /// Takes in the counts of the reader of the part that follows this reader's records in the file (skipped records,
        /// scores above 1, records seen), numbering its records after this reader's.
        /// </summary>
        internal void Absorb(CocoResultReader later)
        {
            long before = recordIndex;
            Skipped.Append(later.Skipped, before);
            record.AppendScoresAboveOne(later.record, before);
            recordIndex += later.recordIndex;
        }
    }
}
