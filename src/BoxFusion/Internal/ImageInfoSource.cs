using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
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
        public static CocoGroundTruth Resolve(PSCmdlet cmdlet, object value, string parameter, bool imagesOnly, bool needsAnnotations = false)
        {
            if (value is PSObject ps && !(ps.BaseObject is PSCustomObject)) value = ps.BaseObject;
            if (value is CocoGroundTruth gt) return gt;
            if (value is FileInfo file) return Load(cmdlet, file.FullName, parameter, imagesOnly);
            if (value is string path) return Load(cmdlet, PathResolver.ResolveForWriting(cmdlet, path), parameter, imagesOnly);
            if (needsAnnotations)
            {
                cmdlet.ThrowTerminatingError(Errors.Create(parameter + "NotAFile", ErrorCategory.InvalidArgument, value,
                    "-" + parameter + " needs the annotations: give the path of the COCO annotations file (e.g. val.json), not objects read from it."));
            }
            return ImageRecords.Convert(cmdlet, value, parameter);
        }

        private static CocoGroundTruth Load(PSCmdlet cmdlet, string path, string parameter, bool imagesOnly)
        {
            if (!File.Exists(path))
            {
                cmdlet.ThrowTerminatingError(Errors.Create(parameter + "NotFound", ErrorCategory.ObjectNotFound, path,
                    "-" + parameter + ": cannot find the file '" + path + "'."));
            }
            try
            {
                return imagesOnly ? CocoGroundTruth.LoadImagesOnly(path) : CocoGroundTruth.Load(path);
            }
            catch (CocoFormatException e)
            {
                cmdlet.ThrowTerminatingError(Errors.Create(parameter + "Invalid", ErrorCategory.InvalidData, path, "-" + parameter + ": " + e.Message, e));
                return null;
            }
        }
    }
}
