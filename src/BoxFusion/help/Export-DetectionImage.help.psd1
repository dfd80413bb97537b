# Help for Export-DetectionImage. Turned into MAML by New-MamlHelp.ps1; see that script for the format.
@{
    Synopsis    = 'Draws detections, and the ground truth, onto their images: one PNG per image.'

    Description = @'
Export-DetectionImage draws the boxes it receives onto the images they belong to and writes one PNG per image into the folder -Path, named after the image's file name (or its id). Pipe in any mix of models and fused results: each model gets its own colour (in the order models first appear; choose them with -Color), listed in a legend, and each box is labelled with its category and score. With -GroundTruth, the ground truth's boxes are drawn too, as dashed lines (crowd regions dotted). A detection with an instance mask (from a segm results file) also has its mask filled in its colour at 40% opacity, unless -NoMask; a mask whose size is not the picture's is left out. Rows of Compare-Detection are drawn by outcome instead: true positives green, false positives red (with the reason in the label), missed boxes orange and dashed, ignored detections grey and dotted; so Compare-Detection | Where-Object ... | Export-DetectionImage draws, say, only the misses.

-ImageFolder locates each image by the file_name of -GroundTruth or -ImageInfo (also by the file name alone, and by a string image id). An image that is not there is drawn on a blank canvas of its size from -GroundTruth or -ImageInfo, so result files alone are enough; a warning counts such images. Images are drawn in the order their detections first arrive; -ImageId picks images (also ones without detections) and -First keeps the first N. Without any input, -GroundTruth's images are drawn with their boxes.

Pictures are drawn in parallel (-ThrottleLimit threads) and written atomically: each file is written under a temporary name and appears only when complete, and an existing file is replaced only with -Force (never a folder, pipe or device). The pictures are not flushed to disk one by one (a flush per picture takes longer than drawing it): after a power cut, the pictures of the last seconds may need drawing again. An image that cannot be drawn (an unreadable or damaged image file, a named pipe or device in its place, an image whose size is unknown, a file that exists) gets its own error naming it, and the other images are still drawn.

Pictures of opaque images (JPEG photos, blank canvases) are RGB PNGs; an image with transparency keeps it. PNGs are compressed quickly (Up filter, zlib level 1): photos come out about a fifth larger than at the slowest setting, which takes three times as long.

The drawing uses SkiaSharp, whose native library ships with the module for Windows, macOS and Linux (x64 and arm64, glibc and musl) and loads from the module's own folder. Where it cannot load, the cmdlet stops with GraphicsUnavailable; the other cmdlets are not affected. Labels use the DejaVu Sans font that ships with the module, so pictures look the same everywhere.
'@

    Parameters  = @{
        InputObject      = @{
            Description = 'Detections (from Import-Detection, Merge-Detection, New-Detection) or rows of Compare-Detection. Anything else is an error (InputNotDetection, once) and skipped; $null is ignored.'
            Default     = 'None'
        }
        Path             = @{
            Description = 'The folder the pictures are written to. It is created when missing, if its parent exists. Each picture is named after its image''s file name with .png (or the image id); when two would clash, the id is added.'
            Default     = 'None'
        }
        GroundTruth      = @{
            Description = 'A COCO annotations file (a path or a FileInfo): its boxes are drawn in the ground-truth style, and its images give file names, sizes and category names.'
            Default     = 'None'
        }
        ImageInfo        = @{
            Description = 'Where the images'' file names and sizes come from when no ground truth is drawn: a COCO file, an object read from one, or image records (id, file_name, width, height), as Merge-Detection -ImageInfo.'
            Default     = 'None'
        }
        ImageFolder      = @{
            Description = 'The folder holding the images. Without it, or for an image not found there, the picture is a blank canvas of the image''s size.'
            Default     = 'None (blank canvases)'
        }
        ImageId          = @{
            Description = 'Draw these images only, in this order, with or without detections. An id that is not in the image info (or, without one, not in the input) is an error (ImageIdNotFound).'
            Default     = 'None (the images of the input)'
        }
        First            = @{
            Description = 'Draw only the first N images.'
            Default     = '0, which means all'
            AcceptedValues = 'a whole number, 1 or more'
        }
        MinScore         = @{
            Description = 'Leave out detections whose score is below this. Missed ground-truth boxes are always drawn.'
            AcceptedValues = 'a number from 0 to 1'
        }
        Color            = @{
            Description = 'Colours by model name, such as @{ yolox = ''red''; WBF = ''#1F77B4'' }; models not named take the next colour of the palette (Tableau 10). A colour is #RRGGBB, #AARRGGBB, #RGB or a name such as red, teal or orange; anything else stops the cmdlet (ColorInvalid).'
            Default     = 'None (the palette)'
        }
        GroundTruthColor = @{
            Description = 'The colour of the ground truth''s dashed boxes (drawn over a pale line, so they show on dark images too).'
        }
        BackgroundColor  = @{
            Description = 'The colour of a blank canvas.'
        }
        LineWidth        = @{
            Description = 'Box line width in pixels; 0 picks one from the image size (2 pixels for a 640 x 480 image).'
            AcceptedValues = 'a number from 0 to 100'
        }
        FontSize         = @{
            Description = 'Label text height in pixels; 0 picks one from the image size.'
            AcceptedValues = 'a number from 0 to 400'
        }
        NoLabel          = @{ Description = 'Draw the boxes without their category and score labels.' }
        NoLegend         = @{ Description = 'Leave out the legend (top-right corner).' }
        NoMask           = @{ Description = 'Do not fill the instance masks of detections that have them; draw their boxes only.' }
        ThrottleLimit    = @{
            Description = 'How many pictures are drawn at once.'
            Default     = '0, which means one per processor'
            AcceptedValues = 'a whole number from 1 to 256'
        }
        Force            = @{ Description = 'Replace pictures that already exist. Without it, each existing file is an error (FileExists) and the other images are drawn.' }
        PassThru         = @{ Description = 'Output a FileInfo for each picture written.' }
    }

    Inputs      = @(
        @{ Type = 'BoxFusion.Detection'; Description = 'Detections to draw, in the colour of their model.' }
        @{ Type = 'BoxFusion.Evaluation.DetectionMatch'; Description = 'Rows of Compare-Detection, drawn in the colour of their outcome.' }
    )
    Outputs     = @(
        @{ Type = 'System.IO.FileInfo'; Description = 'With -PassThru, each picture written, in image order.' }
    )

    Notes       = @'
Errors you can catch by id: GraphicsUnavailable, FolderNotFound, PathIsAFile, ImageFolderNotFound, ColorInvalid, InputNotDetection, ImageNotInImageInfo, AmbiguousImageId, ImageIdNotFound, ImageSizeUnknown, ImageUnreadable, NotARegularFile (a named pipe, socket or device where the image file should be; not opened), ImageInvalid, ImageSizeInvalid (larger than 100 megapixels), FileExists (also for a file that appears while its picture is drawn), TargetNotARegularFile, FileWriteFailed, and those of -GroundTruth and -ImageInfo.

Images are read in the formats SkiaSharp decodes (JPEG, PNG, WebP, GIF, BMP, ICO) and drawn as stored, without applying an EXIF orientation, as COCO's boxes are. Masks of the ground truth are not drawn, only its boxes.
'@

    Examples    = @(
        @{
            Title   = 'Draw three models and their fusion on the first images'
            Code    = @'
cd tests/data/sample
$detections = Import-Detection yolox.json, cascade.json, detr.json
$fused = $detections | Merge-Detection -ImageInfo gt.json
$detections + $fused | Export-DetectionImage -Path drawn -GroundTruth gt.json -First 5 -MinScore 0.5
'@
            Remarks = 'Writes drawn/0.png ... drawn/4.png: each model''s boxes in its colour, the fused boxes (model WBF) in another, the ground truth dashed. The sample has no image files, so the pictures are blank canvases of the images'' sizes.'
        }
        @{
            Title   = 'On the real images'
            Code    = @'
Import-Detection val_results.json | Export-DetectionImage -Path drawn -GroundTruth instances_val2017.json -ImageFolder val2017 -ImageId 139, 285 -PassThru
'@
            Remarks = 'Draws two COCO images from val2017/000000000139.jpg and val2017/000000000285.jpg, with the ground truth, and lists the files written.'
        }
        @{
            Title   = 'Draw what a model got wrong'
            Code    = @'
Compare-Detection gt.json -Path yolox.json |
    Where-Object Outcome -In FalsePositive, Missed |
    Export-DetectionImage -Path errors -ImageInfo gt.json -MinScore 0.3
'@
            Remarks = 'False positives (red, labelled with the reason) and missed boxes (orange, dashed) of yolox at IoU 0.5.'
        }
    )

    Links       = @(
        'about_BoxFusion'
        'Compare-Detection'
        'Export-PrecisionRecallChart'
        'Merge-Detection'
    )
}
