using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using BoxFusion.Coco;

namespace BoxFusion.Commands
{
    /// <summary>
    /// Resolves -ImageInfo / -GroundTruth: a COCO annotations file (path or FileInfo), a loaded
    /// ground truth, an object read from such a file (with an 'images' list), or the image records themselves.
    /// </summary>
    internal static class ImageInfoSource
    {
        /// <param name="needsAnnotations">The caller scores against the boxes (-GroundTruth): only a file or a loaded ground truth will do.</param>
        /// <param name="masks">Also read the annotations' segmentations (mask evaluation).</param>
        public static CocoGroundTruth Resolve(PSCmdlet cmdlet, object value, string parameter, bool imagesOnly, bool needsAnnotations = false, bool masks = false)
        {
            if (value is PSObject ps && !(ps.BaseObject is PSCustomObject)) value = ps.BaseObject;
            if (value is CocoGroundTruth gt) return gt;
            if (value is FileInfo file) return Load(cmdlet, file.FullName, parameter, imagesOnly, masks);
            if (value is string path) return Load(cmdlet, path, parameter, imagesOnly, masks);
            if (needsAnnotations)
            {
                cmdlet.ThrowTerminatingError(Errors.Create(parameter + "NotAFile", ErrorCategory.InvalidArgument, value,
                    "-" + parameter + " needs the annotations: give the path of the COCO annotations file (e.g. val.json), not objects read from it."));
            }
            return ImageRecords.Convert(cmdlet, value, parameter);
        }

        private static CocoGroundTruth Load(PSCmdlet cmdlet, string path, string parameter, bool imagesOnly, bool masks)
        {
            path = PathResolver.ResolveInputFile(cmdlet, path, parameter);
            try
            {
                return LoadStoppably(cmdlet, path, imagesOnly, masks);
            }
            catch (CocoFormatException e)
            {
                cmdlet.ThrowTerminatingError(Errors.Create(parameter + "Invalid", ErrorCategory.InvalidData, path, "-" + parameter + ": " + e.Message, e));
            }
            catch (UnauthorizedAccessException e)
            {
                cmdlet.ThrowTerminatingError(Errors.Create("FileAccessDenied", ErrorCategory.PermissionDenied, path, "-" + parameter + ": cannot read '" + path + "': " + e.Message, e));
            }
            catch (IOException e)
            {
                cmdlet.ThrowTerminatingError(Errors.Create("FileReadFailed", ErrorCategory.ReadError, path, "-" + parameter + ": cannot read '" + path + "': " + e.Message, e));
            }
            return null;
        }

        /// <summary>
        /// Reads the file on a worker while this (the pipeline) thread watches for Ctrl+C, which PowerShell only
        /// signals through <see cref="Cmdlet.Stopping"/>: a large ground truth then stops within one buffer refill.
        /// </summary>
        private static CocoGroundTruth LoadStoppably(PSCmdlet cmdlet, string path, bool imagesOnly, bool masks)
        {
            using (var cancel = new CancellationTokenSource())
            {
                var work = Task.Run(() => imagesOnly ? CocoGroundTruth.LoadImagesOnly(path, cancel.Token) : CocoGroundTruth.Load(path, masks, cancel.Token));
                while (!((IAsyncResult)work).AsyncWaitHandle.WaitOne(100))
                {
                    if (!cmdlet.Stopping) continue;
                    cancel.Cancel();
                    try { work.Wait(); } catch (AggregateException) { }
                    throw new PipelineStoppedException();
                }
                return work.GetAwaiter().GetResult();
            }
        }
    }
}
