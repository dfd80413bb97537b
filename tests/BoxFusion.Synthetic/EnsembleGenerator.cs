using System;
using System.Globalization;
using System.IO;
using System.Threading.Tasks;

namespace BoxFusion.Synthetic
{
    /// <summary>
    /// Writes a synthetic detection ensemble: gt.json (COCO ground truth) and one COCO results file per
    /// simulated detector. The detectors differ in recall, localisation noise and bias, score
    /// calibration, class confusion, near-duplicates and false positives, and miss or find objects
    /// partly independently, so fusing them can beat the best one. Output is fixed by the options:
    /// byte-identical for the same options on any machine and with any number of threads.
    /// </summary>
    public static class EnsembleGenerator
    {
        private const int BatchSize = 512;
        private const int InterleaveGroup = 8; // BatchSize is a multiple of it
        private static readonly byte[] FirstSeparator = { (byte)'\n' };
        private static readonly byte[] Separator = { (byte)',', (byte)'\n' };

        private struct Chunk
        {
            public byte[] Bytes;
            public int[] Ends; // end offset of each record in Bytes
        }

        /// <summary>
        /// Writes gt.json and the models' files into <paramref name="directory"/> (made if missing; files
        /// of the same names are replaced). Each file is written under a temporary name and renamed when
        /// complete. Images have ids 0 .. Images-1 and file names "N.jpg"; annotations have ids from 1.
        /// </summary>
        public static SyntheticEnsembleFiles Write(string directory, SyntheticOptions options)
        {
            if (directory == null) throw new ArgumentNullException(nameof(directory));
            if (options == null) throw new ArgumentNullException(nameof(options));
            options = Snapshot(options);
            options.Validate();
            string[] fileNames = options.ModelFileNames();

            directory = Path.GetFullPath(directory);
            Directory.CreateDirectory(directory);
            var world = new SyntheticWorld(options);

            string groundTruthPath = Path.Combine(directory, "gt.json");
            WriteAtomically(groundTruthPath, stream => WriteGroundTruth(world, stream));

            var modelPaths = new string[options.Models];
            var modelNames = new string[options.Models];
            long detections = 0;
            for (int m = 0; m < options.Models; m++)
            {
                int model = m;
                modelPaths[m] = Path.Combine(directory, fileNames[m]);
                modelNames[m] = fileNames[m].Substring(0, fileNames[m].Length - ".json".Length);
                WriteAtomically(modelPaths[m], stream => detections += WriteModel(world, model, stream));
            }
            return new SyntheticEnsembleFiles(groundTruthPath, modelPaths, modelNames, options.Images, world.AnnotationCount, detections);
        }

        private static SyntheticOptions Snapshot(SyntheticOptions o) => new SyntheticOptions
        {
            Images = o.Images, Models = o.Models, Classes = o.Classes, Seed = o.Seed, FileNameIds = o.FileNameIds,
            Shuffle = o.Shuffle, Dirty = o.Dirty, MaxDetectionsPerImage = o.MaxDetectionsPerImage,
            MeanObjectsPerImage = o.MeanObjectsPerImage, PadToMaximum = o.PadToMaximum,
            ModelNames = o.ModelNames == null ? null : (string[])o.ModelNames.Clone(),
            MaxDegreeOfParallelism = o.MaxDegreeOfParallelism, Masks = o.Masks,
        };

        private static void WriteGroundTruth(SyntheticWorld world, Stream stream)
        {
            var buffer = new AsciiBuffer(1 << 16);
            buffer.Write("{\"images\": [");
            for (int i = 0; i < world.Images.Length; i++)
            {
                var image = world.Images[i];
                buffer.Write(i == 0 ? "\n{\"id\": " : ",\n{\"id\": ");
                buffer.WriteInteger(i);
                buffer.Write(", \"file_name\": ");
                buffer.WriteQuoted(FileName(i));
                buffer.Write(", \"width\": ");
                buffer.WriteInteger(image.Width);
                buffer.Write(", \"height\": ");
                buffer.WriteInteger(image.Height);
                buffer.Write('}');
                Flush(buffer, stream, false);
            }
            buffer.Write("\n],\n\"annotations\": [");
            long id = 1;
            for (int i = 0; i < world.Images.Length; i++)
            {
                foreach (var obj in world.Images[i].Objects)
                {
                    buffer.Write(id == 1 ? "\n{\"id\": " : ",\n{\"id\": ");
                    buffer.WriteInteger(id++);
                    buffer.Write(", \"image_id\": ");
                    buffer.WriteInteger(i);
                    buffer.Write(", \"category_id\": ");
                    buffer.WriteInteger(obj.Category);
                    WriteBox(buffer, obj.X, obj.Y, obj.W, obj.H);
                    if (world.Options.Masks)
                    {
                        WriteGroundTruthMask(buffer, world.Images[i], obj);
                        Flush(buffer, stream, false);
                        continue;
                    }
                    buffer.Write(", \"area\": ");
                    buffer.WriteFixed(((long)obj.W * obj.H + 50) / 100, 2);
                    buffer.Write(obj.Crowd ? ", \"iscrowd\": 1}" : ", \"iscrowd\": 0}");
                }
                Flush(buffer, stream, false);
            }
            buffer.Write("\n],\n\"categories\": [");
            for (int c = 1; c <= world.Options.Classes; c++)
            {
                buffer.Write(c == 1 ? "\n{\"id\": " : ",\n{\"id\": ");
                buffer.WriteInteger(c);
                buffer.Write(", \"name\": ");
                buffer.WriteQuoted("class" + c.ToString(CultureInfo.InvariantCulture));
                buffer.Write(", \"supercategory\": \"object\"}");
            }
            buffer.Write("\n]}\n");
            Flush(buffer, stream, true);
        }

        /// <summary>A polygon (crowd regions: the box as uncompressed RLE), with the mask's area, then iscrowd.</summary>
        private static void WriteGroundTruthMask(AsciiBuffer buffer, SyntheticImage image, GtObject obj)
        {
            Mask mask;
            if (obj.Crowd)
            {
                mask = Mask.FromBox(obj.X / 100.0, obj.Y / 100.0, obj.W / 100.0, obj.H / 100.0, image.Height, image.Width);
                SyntheticMasks.WriteCounts(buffer, mask);
            }
            else
            {
                var outline = SyntheticMasks.Outline(obj.X, obj.Y, obj.W, obj.H);
                mask = SyntheticMasks.Rasterize(outline, image.Height, image.Width);
                SyntheticMasks.WritePolygon(buffer, outline);
            }
            buffer.Write(", \"area\": ");
            buffer.WriteInteger(mask.Area);
            buffer.Write(obj.Crowd ? ".0, \"iscrowd\": 1}" : ".0, \"iscrowd\": 0}");
        }

        private static void Flush(AsciiBuffer buffer, Stream stream, bool always)
        {
            if (!always && buffer.Length < (1 << 20)) return;
            buffer.CopyTo(stream);
            buffer.Clear();
        }

        /// <summary>Writes one model's results list; returns the number of detections.</summary>
        private static long WriteModel(SyntheticWorld world, int model, Stream stream)
        {
            var options = world.Options;
            int images = options.Images;
            var order = new int[images];
            for (int i = 0; i < images; i++) order[i] = i;
            if (options.Shuffle) SplitMix.For(options.Seed, SyntheticWorld.OrderStream, (ulong)model).Shuffle(order);
            bool interleave = options.Shuffle && model % 2 == 1;

            var parallel = new ParallelOptions
            {
                MaxDegreeOfParallelism = options.MaxDegreeOfParallelism > 0 ? options.MaxDegreeOfParallelism : -1,
            };
            long written = 0;
            stream.WriteByte((byte)'[');
            var chunks = new Chunk[BatchSize];
            for (int start = 0; start < images; start += BatchSize)
            {
                int count = Math.Min(BatchSize, images - start);
                int batchStart = start;
                Parallel.For(0, count, parallel, j => chunks[j] = Encode(world, order[batchStart + j], model));
                if (!interleave)
                {
                    for (int j = 0; j < count; j++) WriteRecords(stream, chunks[j], ref written);
                    continue;
                }
                for (int g = 0; g < count; g += InterleaveGroup)
                {
                    int size = Math.Min(InterleaveGroup, count - g);
                    var rng = SplitMix.For(options.Seed, SyntheticWorld.InterleaveStream, (ulong)model, (ulong)((start + g) / InterleaveGroup));
                    Interleave(stream, chunks, g, size, rng, ref written);
                }
            }
            stream.Write(new[] { (byte)'\n', (byte)']', (byte)'\n' }, 0, 3);
            Array.Clear(chunks, 0, chunks.Length);
            return written;
        }

        private static void WriteRecords(Stream stream, Chunk chunk, ref long written)
        {
            int from = 0;
            foreach (int end in chunk.Ends)
            {
                WriteRecord(stream, chunk.Bytes, from, end, ref written);
                from = end;
            }
        }

        /// <summary>
        /// Merges the records of a few images in random order while each image's own records keep their
        /// order (highest score first): as a writer that collects results from several workers would.
        /// </summary>
        private static void Interleave(Stream stream, Chunk[] chunks, int first, int size, SplitMix rng, ref long written)
        {
            var next = new int[size];
            int remaining = 0;
            for (int k = 0; k < size; k++) remaining += chunks[first + k].Ends.Length;
            while (remaining > 0)
            {
                // Pick a record uniformly among those left, then take its image's next record.
                int r = rng.NextInt(remaining), k = 0;
                while (r >= chunks[first + k].Ends.Length - next[k])
                {
                    r -= chunks[first + k].Ends.Length - next[k];
                    k++;
                }
                var chunk = chunks[first + k];
                int index = next[k]++;
                WriteRecord(stream, chunk.Bytes, index == 0 ? 0 : chunk.Ends[index - 1], chunk.Ends[index], ref written);
                remaining--;
            }
        }

        private static void WriteRecord(Stream stream, byte[] bytes, int from, int end, ref long written)
        {
            byte[] separator = written == 0 ? FirstSeparator : Separator;
            stream.Write(separator, 0, separator.Length);
            stream.Write(bytes, from, end - from);
            written++;
        }

        private static Chunk Encode(SyntheticWorld world, int image, int model)
        {
            var detections = DetectionSimulator.Generate(world, image, model);
            var buffer = new AsciiBuffer(detections.Length * 96 + 16);
            var ends = new int[detections.Length];
            string quotedName = world.Options.FileNameIds ? "\"" + FileName(image) + "\"" : null;
            for (int d = 0; d < detections.Length; d++)
            {
                var det = detections[d];
                buffer.Write("{\"image_id\": ");
                if (quotedName != null) buffer.Write(quotedName); else buffer.WriteInteger(image);
                buffer.Write(", \"category_id\": ");
                buffer.WriteInteger(det.Category);
                WriteBox(buffer, det.X, det.Y, det.W, det.H);
                buffer.Write(", \"score\": ");
                buffer.WriteFixed(det.Score, 5);
                if (world.Options.Masks)
                {
                    var img = world.Images[image];
                    SyntheticMasks.WriteCompressed(buffer, SyntheticMasks.Rasterize(det.X, det.Y, det.W, det.H, img.Height, img.Width));
                }
                buffer.Write('}');
                ends[d] = buffer.Length;
            }
            return new Chunk { Bytes = buffer.Bytes, Ends = ends };
        }

        private static void WriteBox(AsciiBuffer buffer, int x, int y, int w, int h)
        {
            buffer.Write(", \"bbox\": [");
            buffer.WriteFixed(x, 2);
            buffer.Write(", ");
            buffer.WriteFixed(y, 2);
            buffer.Write(", ");
            buffer.WriteFixed(w, 2);
            buffer.Write(", ");
            buffer.WriteFixed(h, 2);
            buffer.Write(']');
        }

        private static string FileName(int image) => image.ToString(CultureInfo.InvariantCulture) + ".jpg";

        /// <summary>Writes to a temporary file beside <paramref name="path"/>, then renames it over the target.</summary>
        private static void WriteAtomically(string path, Action<Stream> write)
        {
            string temp = path + "." + Guid.NewGuid().ToString("N").Substring(0, 12) + ".tmp";
            try
            {
                using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
                    write(stream);
                if (File.Exists(path))
                {
                    try { File.Replace(temp, path, null); }
                    catch (PlatformNotSupportedException)
                    {
                        File.Delete(path);
                        File.Move(temp, path);
                    }
                }
                else
                {
                    File.Move(temp, path);
                }
            }
            catch
            {
                try { if (File.Exists(temp)) File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
                throw;
            }
        }
    }
}
