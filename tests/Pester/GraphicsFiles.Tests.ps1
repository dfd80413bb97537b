# Export-DetectionImage and image files it cannot use: each bad file named in its own error, the other images drawn,
# never a hang. The cases with a named pipe run in a child pwsh with a time limit (ChildProcess.ps1): reading a pipe
# waits for a writer, so a regression fails them instead of hanging the run.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    . (Join-Path $PSScriptRoot 'ChildProcess.ps1')
    Import-ModuleUnderTest
    $script:Folder = New-TestFolder
    $script:Images = Join-Path $Folder 'images'
    $null = New-Item -ItemType Directory $Images
    # five images of 80 x 60; their files are made below, each with a different problem but the first
    $script:Info = Join-Path $Folder 'images.json'
    $records = foreach ($i in 1..5) { @{ id = $i; file_name = "$i.png"; width = 80; height = 60 } }
    @{ images = @($records); annotations = @(); categories = @(@{ id = 1; name = 'thing' }) } | ConvertTo-Json -Depth 4 | Set-Content $Info
    $first = foreach ($i in 1..5) { New-Detection -ImageId $i -CategoryId 1 -Score 0.9 -X 10 -Y 10 -Width 30 -Height 20 -Model m }
    $null = $first | Export-DetectionImage -Path $Images -ImageInfo $Info -NoLegend
    $good = [System.IO.File]::ReadAllBytes((Join-Path $Images '1.png'))
    # 2: not an image; 3: a PNG cut in half
    [System.IO.File]::WriteAllBytes((Join-Path $Images '2.png'), [System.Text.Encoding]::ASCII.GetBytes('this is not a picture'))
    [System.IO.File]::WriteAllBytes((Join-Path $Images '3.png'), $good[0..($good.Length / 2)])
    $script:Detections = foreach ($i in 1..5) { New-Detection -ImageId $i -CategoryId 1 -Score 0.8 -X 20 -Y 20 -Width 30 -Height 20 -Model n }
}

AfterAll { Remove-Item -LiteralPath $script:Folder -Recurse -Force -ErrorAction SilentlyContinue }

Describe 'Export-DetectionImage and image files it cannot use' {
    It 'names each damaged file in its own error and draws the others' {
        Remove-Item (Join-Path $Images '4.png'), (Join-Path $Images '5.png')
        $out = Join-Path $Folder 'damaged'
        $files = $Detections | Export-DetectionImage -Path $out -ImageInfo $Info -ImageFolder $Images -PassThru -ErrorVariable problems -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $files.Name | Should -Be '1.png', '4.png', '5.png'   # 4 and 5 have no file: blank canvases
        $problems.Count | Should -Be 2
        foreach ($p in $problems) {
            $p.FullyQualifiedErrorId | Should -BeLike 'ImageInvalid,*'
            $p.CategoryInfo.Category | Should -Be 'InvalidData'
        }
        $problems[0].TargetObject | Should -Be (Join-Path $Images '2.png')
        $problems[0].Exception.Message | Should -BeLike "Image 2: the image file '*2.png' cannot be drawn on: not an image format*"
        $problems[1].TargetObject | Should -Be (Join-Path $Images '3.png')
        $problems[1].Exception.Message | Should -BeLike "Image 3: the image file '*3.png' cannot be drawn on: *truncated*"
        @(Get-ChildItem $out -Force).Name | Should -Be '1.png', '4.png', '5.png'   # and no temporary file left
    }
}

Describe 'Export-DetectionImage and image files that are not regular files, or cannot be read' -Skip:$IsWindows {
    BeforeAll {
        & mkfifo (Join-Path $Images '4.png')
        $LASTEXITCODE | Should -Be 0
        # a file whose every read fails (EIO): the process's own memory at address 0; Linux only
        if ($IsLinux) { $null = New-Item -ItemType SymbolicLink -Path (Join-Path $Images '5.png') -Target '/proc/self/mem' }
        $data = @{ Info = $Info; Images = $Images; Out = (Join-Path $Folder 'special'); Fifo = (Join-Path $Images '4.png') }
        $cases = @(
            @{ Name = 'images'; Script = @'
$detections = foreach ($i in 1..5) { New-Detection -ImageId $i -CategoryId 1 -Score 0.8 -X 20 -Y 20 -Width 30 -Height 20 -Model n }
$detections | Export-DetectionImage -Path $args[0].Out -ImageInfo $args[0].Info -ImageFolder $args[0].Images -PassThru -WarningAction SilentlyContinue | ForEach-Object Name
'@ }
            @{ Name = 'target'; Script = @'
New-Detection -ImageId 1 -CategoryId 1 -Score 0.8 -X 20 -Y 20 -Width 30 -Height 20 | Export-DetectionImage -Path $args[0].Images -ImageInfo ([pscustomobject]@{ id = 1; file_name = '4.jpg'; width = 80; height = 60 }) -Force -PassThru | ForEach-Object Name
'@ }
        )
        $script:Results = @{}
        foreach ($r in Invoke-IsolatedCase -Cases $cases -Data $data -CaseTimeoutSeconds 30) { $script:Results[$r.Name] = $r }
    }

    It 'a named pipe is refused before it is opened, a file that cannot be read is named; the others are drawn' {
        $r = $Results['images']
        $r.Hung | Should -BeFalse -Because 'reading a pipe waits for a writer'
        $r.Output | Should -Be '1.png'
        $ids = @($r.ErrorIds | ForEach-Object { $_.Split(',')[0] } | Sort-Object)
        $expected = @('ImageInvalid', 'ImageInvalid', 'NotARegularFile') + @(if ($IsLinux) { 'ImageUnreadable' }) | Sort-Object
        $ids | Should -Be $expected -Because ($r.Messages -join "`n")
        $pipe = @($r.Messages | Where-Object { $_ -like 'Image 4:*' })
        $pipe.Count | Should -Be 1
        $pipe[0] | Should -BeLike "Image 4: '*4.png' is a named pipe (FIFO), not a regular file*The other images are drawn."
        if ($IsLinux) {
            ($r.Messages | Where-Object { $_ -like 'Image 5:*' }) | Should -BeLike "Image 5: cannot read the image file '*5.png'*The other images are drawn."
        }
    }

    It 'a named pipe in the place of a picture is not replaced, even with -Force' {
        $r = $Results['target']
        $r.Hung | Should -BeFalse
        $r.Output | Should -BeNullOrEmpty
        $r.ErrorIds | Should -Be 'TargetNotARegularFile,BoxFusion.Commands.ExportDetectionImageCommand'
        $r.Messages[0] | Should -BeLike "*4.png' is a named pipe (FIFO), not a regular file; it is never replaced, even with -Force*"
        & test -p (Join-Path $Images '4.png')
        $LASTEXITCODE | Should -Be 0 -Because 'the pipe is still there'
    }
}
